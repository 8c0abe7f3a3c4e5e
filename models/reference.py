#!/usr/bin/env python3
"""Pure-numpy reference forward pass of all-MiniLM-L6-v2; writes tests/fixtures/minilm_reference.json.

    python3 models/reference.py --original /path/to/original/fp32/model.safetensors
    python3 models/reference.py            # f16 weights only (models/all-MiniLM-L6-v2)

Needs numpy, safetensors and tokenizers. The computation is HF `BertModel` written out by hand
(post-LayerNorm BERT, exact erf GELU, additive attention mask), followed by what the
sentence-transformers config of the model prescribes: mean pooling over the attention mask, then
L2 normalisation. All arithmetic is float64, whatever the dtype of the weights.

The fixture vectors come from the weights given by --original (the fp32 file from the package) if
given, else from the shipped float16 file. With --original, the shipped float16 weights are run too
and the minimum cosine between the two is printed; a padded-batch run checks the masking.
"""

import argparse
import json
import math
import os
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_DIR = os.path.join(HERE, "all-MiniLM-L6-v2")
FIXTURE = os.path.join(HERE, "..", "tests", "fixtures", "minilm_reference.json")

TEXTS = [
    "When did Russia lift its arms embargo on Pakistan?",
    "In June 2014, Russia lifts arms embargo to Pakistan.",
    "anything in the 90s?",
    "Pakistan and Russia held their first joint military exercise.",
    "hello",
]

_erf = np.frompyfunc(math.erf, 1, 1)


def gelu(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)).astype(np.float64))


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


class Bert:
    def __init__(self, weights_path, config):
        raw = load_file(weights_path)
        # accept either bare names or a `bert.` prefix
        self.w = {k[5:] if k.startswith("bert.") else k: v.astype(np.float64) for k, v in raw.items()}
        self.dtypes = sorted({str(v.dtype) for v in raw.values()})
        self.cfg = config

    def linear(self, x, name):
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def hidden(self, ids, type_ids, mask):
        """ids, type_ids, mask: int arrays [batch, seq]. Returns last hidden states [b, s, h]."""
        c, w = self.cfg, self.w
        eps = c["layer_norm_eps"]
        b, s = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][np.arange(s)][None]
            + w["embeddings.token_type_embeddings.weight"][type_ids]
        )
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        nh = c["num_attention_heads"]
        hd = c["hidden_size"] // nh
        bias = np.where(mask[:, None, None, :] > 0, 0.0, np.finfo(np.float64).min)
        for i in range(c["num_hidden_layers"]):
            p = f"encoder.layer.{i}."

            def heads(t):
                return t.reshape(b, s, nh, hd).transpose(0, 2, 1, 3)

            q = heads(self.linear(x, p + "attention.self.query"))
            k = heads(self.linear(x, p + "attention.self.key"))
            v = heads(self.linear(x, p + "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd) + bias
            scores = scores - scores.max(-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(-1, keepdims=True)
            ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(b, s, nh * hd)
            a = self.linear(ctx, p + "attention.output.dense")
            x = layer_norm(a + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
            h = gelu(self.linear(x, p + "intermediate.dense"))
            o = self.linear(h, p + "output.dense")
            x = layer_norm(o + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        return x

    def embed(self, encodings):
        s = max(len(e.ids) for e in encodings)
        pad = lambda seq: list(seq) + [0] * (s - len(seq))  # noqa: E731
        ids = np.array([pad(e.ids) for e in encodings])
        types = np.array([pad(e.type_ids) for e in encodings])
        mask = np.array([pad(e.attention_mask) for e in encodings])
        hs = self.hidden(ids, types, mask)
        m = mask[:, :, None].astype(np.float64)
        pooled = (hs * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--original", help="the original fp32 model.safetensors from the package")
    ap.add_argument("--model-dir", default=MODEL_DIR, help="shipped model directory (f16 weights, tokenizer, config)")
    ap.add_argument("--out", default=FIXTURE)
    args = ap.parse_args()

    config = json.load(open(os.path.join(args.model_dir, "config.json")))
    tok = Tokenizer.from_file(os.path.join(args.model_dir, "tokenizer.json"))
    assert tok.padding is None, "shipped tokenizer.json should not pad"
    encs = [tok.encode(t) for t in TEXTS]
    for t, e in zip(TEXTS, encs):
        print(f"{len(e.ids):3d} tokens  {e.tokens}")
        assert set(e.type_ids) == {0}

    f16_path = os.path.join(args.model_dir, "model.safetensors")
    primary = Bert(args.original or f16_path, config)
    print(f"weights {args.original or f16_path} ({primary.dtypes})")
    vecs = np.stack([primary.embed([e])[0] for e in encs])  # one at a time: no padding

    batched = primary.embed(encs)  # padded to the longest, masked
    print(f"padded batch vs one-by-one: max abs difference {np.max(np.abs(batched - vecs)):.2e}")

    cos = vecs @ vecs.T
    np.set_printoptions(precision=4, suppress=True, linewidth=120)
    print("cosine matrix:")
    print(cos)
    assert cos[0, 1] > 0.6, cos[0, 1]

    if args.original:
        half = Bert(f16_path, config)
        hv = half.embed(encs)
        per = np.sum(hv * vecs, axis=1)
        print(f"f16 ({half.dtypes}) vs fp32 cosine per text: {per}  min {per.min():.7f}")
        assert per.min() > 0.999, per

    out = [
        {"text": t, "ids": list(e.ids), "vector": [round(float(x), 6) for x in v]}
        for t, e, v in zip(TEXTS, encs, vecs)
    ]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(args.out)}")


if __name__ == "__main__":
    sys.exit(main())
