"""The sentence encoder: the pinned upstream weights, loaded and run with the network cut, giving
the recorded vectors. It is installed by the Makefile (requirements/encoder.txt); outside CI a
checkout without it skips these tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from kaitiaki.checker.meaning.encoder import TOKENIZER_SHA256, WEIGHTS_SHA256, EncoderMissing, model_dir, sha256_of

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "meaning" / "golden_vectors.json"


@pytest.fixture(scope="module")
def folder() -> Path:
    try:
        return model_dir()
    except EncoderMissing:
        if os.environ.get("CI"):
            raise
        pytest.skip("the encoder package is not installed (make test installs it)")


def test_the_weights_are_the_pinned_upstream_files(folder: Path) -> None:
    assert sha256_of(folder / "model.safetensors") == WEIGHTS_SHA256
    assert sha256_of(folder / "tokenizer.json") == TOKENIZER_SHA256


def test_the_encoder_loads_and_embeds_with_the_network_cut(folder: Path, tmp_path: Path) -> None:
    code = textwrap.dedent("""
        import socket
        def boom(*a, **k): raise RuntimeError("network used")
        socket.getaddrinfo = boom; socket.socket.connect = boom; socket.create_connection = boom
        from kaitiaki.checker.meaning.encoder import load_encoder
        from kaitiaki.checker.meaning.model import load_meaning_model
        vectors = load_encoder()(["We are closed on Labour Day.", "I know where you live."])
        assert vectors.shape == (2, 384)
        assert load_meaning_model().heads
        print("ok")
    """)
    env = {"HOME": str(tmp_path), "HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr


def test_the_forward_pass_gives_the_recorded_vectors(folder: Path) -> None:
    from kaitiaki.checker.meaning.encoder import load_encoder

    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    vectors = load_encoder(verify=False)(golden["texts"])
    for got, expected in zip(vectors, np.asarray(golden["vectors"], dtype=np.float32)):
        cosine = float(got @ expected / (np.linalg.norm(got) * np.linalg.norm(expected)))
        assert cosine > 0.9999
