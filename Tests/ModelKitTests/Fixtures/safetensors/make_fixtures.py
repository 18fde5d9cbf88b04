"""Writes the reference-library fixtures the Swift safetensors tests compare against.

Run with numpy and the PyPI `safetensors` package (0.8.0 was used):
    python3 make_fixtures.py
Output, next to this script:
    reference.safetensors   one tensor of each dtype numpy can express, metadata {"format": "np"}
    tiny-llama-sharded/     a 1-block Llama in two shards (F32, F16) with config.json and the index
    tiny-llama-expected.json  its tensor values as float32 text
"""
import json
import os

import numpy as np
from safetensors.numpy import save_file

HERE = os.path.dirname(os.path.abspath(__file__))


def tensors():
    return {
        "w.f32": np.array([[1.5, -2.25, 3e-8], [65504.0, -0.0, 7.0]], dtype=np.float32),
        "w.f64": np.array([np.pi, -1e300], dtype=np.float64),
        "w.f16": np.array([0.5, -65504.0, 0.1, 1e-4], dtype=np.float16),
        "ids.i64": np.array([[0, 1, 2]], dtype=np.int64),
        "codes.i32": np.array([-7, 0, 2**31 - 1], dtype=np.int32),
        "codes.u8": np.array([0, 1, 128, 254, 255], dtype=np.uint8),
        "codes.i8": np.array([-128, -1, 127], dtype=np.int8),
        "scalar": np.array(3.0, dtype=np.float32),
    }


def main():
    save_file(tensors(), os.path.join(HERE, "reference.safetensors"), metadata={"format": "np"})

    write_tiny_sharded_llama(os.path.join(HERE, "tiny-llama-sharded"))


def write_tiny_sharded_llama(folder):
    """A 1-block Llama (hidden 4, 2 heads, 1 kv head, tied embeddings) in two shards, F32 and F16."""
    os.makedirs(folder, exist_ok=True)
    config = {
        "model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": 4, "intermediate_size": 6,
        "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 8,
        "rms_norm_eps": 1e-5, "tie_word_embeddings": True, "rope_theta": 10000.0, "torch_dtype": "float32",
    }
    rng = np.random.default_rng(0)
    block = "model.layers.0."
    first = {
        "model.embed_tokens.weight": rng.standard_normal((8, 4)).astype(np.float32),
        block + "input_layernorm.weight": np.ones(4, dtype=np.float32),
        block + "self_attn.q_proj.weight": rng.standard_normal((4, 4)).astype(np.float32),
        block + "self_attn.k_proj.weight": rng.standard_normal((2, 4)).astype(np.float32),
        block + "self_attn.v_proj.weight": rng.standard_normal((2, 4)).astype(np.float32),
        block + "self_attn.o_proj.weight": rng.standard_normal((4, 4)).astype(np.float32),
    }
    second = {
        block + "post_attention_layernorm.weight": np.ones(4, dtype=np.float16),
        block + "mlp.gate_proj.weight": rng.standard_normal((6, 4)).astype(np.float16),
        block + "mlp.up_proj.weight": rng.standard_normal((6, 4)).astype(np.float16),
        block + "mlp.down_proj.weight": rng.standard_normal((4, 6)).astype(np.float16),
        "model.norm.weight": np.ones(4, dtype=np.float16),
    }
    shards = {"model-00001-of-00002.safetensors": first, "model-00002-of-00002.safetensors": second}
    weight_map = {}
    total = 0
    for name, content in shards.items():
        save_file(content, os.path.join(folder, name), metadata={"format": "pt"})
        for key, value in content.items():
            weight_map[key] = name
            total += value.nbytes
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2, sort_keys=True)
    # Every value widened to float32 (exact for F16), as text for the Swift test.
    expected = {key: [float(x) for x in value.astype(np.float32).ravel()] for c in shards.values() for key, value in c.items()}
    with open(os.path.join(HERE, "tiny-llama-expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
