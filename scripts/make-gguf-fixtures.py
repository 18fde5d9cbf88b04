#!/usr/bin/env python3
"""Writes the GGUF reader fixtures under Tests/ModelKitTests/Fixtures/gguf/:

- blocks.gguf: a GGUF v3 file written by gguf.GGUFWriter with general.alignment = 64. It holds one 2-D
  tensor of random raw blocks (fixed seed, 3 rows; 2 blocks a row, 16 elements for the float types) for
  each of F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K and Q6_K, named by the type,
  plus a 1-D F16 vector ("vector.F16") and a 3-D Q8_0 tensor ("cube.Q8_0"). The blocks are random bytes
  except their f16 scale fields, which are finite halves of moderate size, and the float tensors, which
  are random finite bit patterns (signed zeros, the smallest subnormal and the largest finite magnitude
  first).
  The metadata holds a key of every GGUF value type and an array of every element type. A padding
  string puts the end of the tensor infos where rounding it up to 32 and to 64 gives different data
  starts, so a reader that ignores general.alignment reads the wrong bytes.
- blocks-v2.gguf: the same bytes with the version field set to 2 (v2 and v3 share the layout; the writer
  only writes v3).
- blocks-expected.safetensors: for every tensor, gguf.quants.dequantize of its raw blocks as an F32
  tensor of the same name and row-major shape (outermost first).
- blocks-expected.json: what gguf.GGUFReader reads back from blocks.gguf: the metadata in file order
  (type, element type, values; floats as their bit patterns, every value as a string) with where each
  key/value starts, the tensor infos (ggml dimensions, type id, data offset and size, where the info
  starts), the end of the tensor infos and the data start.

Before writing, it checks that gguf's GGML_QUANT_SIZES and type ids agree with the block and type sizes
of Sources/ModelKit/GGUF/GGMLType.swift for every type both know (Q8_1 against ggml's size, which
gguf's table does not follow), prints every mismatch and every type only one side knows, and fails on a
mismatch.

Run from the repository root with a Python that has gguf, numpy and safetensors:
    python3 scripts/make-gguf-fixtures.py
"""
import json
import math
import os
import re
import struct
import sys
import tempfile

import gguf
import numpy as np
from gguf import GGMLQuantizationType as T
from gguf import GGUFValueType as V
from safetensors.numpy import save_file

OUT = os.path.join("Tests", "ModelKitTests", "Fixtures", "gguf")
SWIFT_TYPES = os.path.join("Sources", "ModelKit", "GGUF", "GGMLType.swift")
ALIGNMENT = 64
ROWS = 3

# Byte offsets of the f16 scale fields inside one block (gguf/quants.py layouts).
HALF_FIELDS = {
    T.Q8_0: [0], T.Q4_0: [0], T.Q4_1: [0, 2], T.Q5_0: [0], T.Q5_1: [0, 2],
    T.Q2_K: [80, 82], T.Q3_K: [108], T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208],
}
# Exponent mask of the float types: all ones is inf or NaN.
FLOAT_BITS = {T.F32: (np.uint32, 0x7F80_0000), T.F16: (np.uint16, 0x7C00), T.BF16: (np.uint16, 0x7F80)}
# Signed zeros, the smallest positive subnormal and the largest finite magnitude of each float type.
FLOAT_SPECIALS = {T.F32: [0x0000_0000, 0x8000_0000, 0x0000_0001, 0x7F7F_FFFF],
                  T.F16: [0x0000, 0x8000, 0x0001, 0x7BFF], T.BF16: [0x0000, 0x8000, 0x0001, 0xFF7F]}


# Where gguf's table is known to differ from ggml's: gguf-py keeps the old Q8_1 block of two f32 (40 bytes),
# ggml's block_q8_1 is two f16 and 32 quants (static_assert(sizeof(block_q8_1) == 2*sizeof(ggml_half) + QK8_1)).
# Q8_1 is the activation type of ggml's dot products and is not stored in GGUF files.
GGML_SIZES = {T.Q8_1: (32, 2 + 2 + 32)}


def check_swift_table():
    """Compares GGMLType.swift's ids, block sizes and type sizes with gguf's; returns the mismatch count."""
    source = open(SWIFT_TYPES, encoding="utf-8").read()
    ids = {}
    for line in re.findall(r"^\s*case ([a-z0-9_K]+ = \d+.*)$", source, re.M):
        for name, value in re.findall(r"([a-z0-9_K]+) = (\d+)", line):
            ids[name] = int(value)
    constants = {m[0]: int(m[1]) for m in re.findall(r"static let (\w+) = (\d+)", source)}

    def table(property_name):
        body = re.search(r"var " + property_name + r": Int \{\s*switch self \{(.*?)\n        \}", source, re.S).group(1)
        sizes = {}
        for cases, value in re.findall(r"case ([^:]+):\s*([\w.]+)", body):
            value = constants[value.split(".")[-1]] if not value.isdigit() else int(value)
            for case in re.findall(r"\.(\w+)", cases):
                sizes[case] = value
        return sizes

    blocks, types = table("blockSize"), table("typeSize")
    mismatches = 0
    swift_by_name = {name.upper(): name for name in ids}
    for qtype in T:
        swift = swift_by_name.get(qtype.name)
        if swift is None:
            print(f"only gguf knows {qtype.name} (id {qtype.value}, sizes {gguf.GGML_QUANT_SIZES.get(qtype)})")
            continue
        expected = (qtype.value, *GGML_SIZES.get(qtype, gguf.GGML_QUANT_SIZES[qtype]))
        found = (ids[swift], blocks.get(swift), types.get(swift))
        if qtype in GGML_SIZES:
            print(f"{qtype.name}: gguf has {gguf.GGML_QUANT_SIZES[qtype]}, ggml {GGML_SIZES[qtype]}; "
                  f"GGMLType.swift has {found[1:]}")
        if found != expected:
            print(f"MISMATCH {qtype.name}: GGMLType.swift has (id, block, type size) {found}, gguf has {expected}")
            mismatches += 1
    for name in sorted(set(swift_by_name) - {qtype.name for qtype in T}):
        print(f"only GGMLType.swift knows {name}")
    return mismatches


def moderate_halves(rng, n):
    """Finite f16 values of random sign with magnitudes between 2^-12 and 4."""
    magnitudes = np.exp2(rng.uniform(-12, 2, size=n))
    return (rng.choice([-1.0, 1.0], size=n) * magnitudes).astype(np.float16)


def raw_tensor(rng, qtype, shape):
    """Random raw data of `qtype` for a tensor of row-major `shape`, as uint8 with the byte dimension last."""
    block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
    blocks = int(np.prod(shape)) // block_size
    if qtype in FLOAT_BITS:
        dtype, exponent = FLOAT_BITS[qtype]
        bits = rng.integers(0, np.iinfo(dtype).max, size=blocks, dtype=dtype, endpoint=True)
        top = dtype(exponent & ~(exponent >> 1))  # clearing the top exponent bit makes inf and NaN finite
        bits = np.where(bits & exponent == exponent, bits ^ top, bits)
        bits[: len(FLOAT_SPECIALS[qtype])] = FLOAT_SPECIALS[qtype]
        raw = bits.astype(dtype).view(np.uint8).reshape(blocks, type_size)
    else:
        raw = rng.integers(0, 256, size=(blocks, type_size), dtype=np.uint8)
        for offset in HALF_FIELDS[qtype]:
            raw[:, offset:offset + 2] = moderate_halves(rng, blocks).view(np.uint8).reshape(blocks, 2)
    return raw.reshape(*shape[:-1], shape[-1] // block_size * type_size)


def tensors():
    """(name, type, row-major shape, raw uint8 data) of every fixture tensor."""
    rng = np.random.default_rng(20250601)
    out = []
    for qtype in [T.F32, T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1,
                  T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K]:
        block_size = gguf.GGML_QUANT_SIZES[qtype][0]
        shape = (ROWS, 16 if block_size == 1 else 2 * block_size)
        out.append((qtype.name, qtype, shape, raw_tensor(rng, qtype, shape)))
    out.append(("vector.F16", T.F16, (10,), raw_tensor(rng, T.F16, (10,))))
    out.append(("cube.Q8_0", T.Q8_0, (4, 2, 32), raw_tensor(rng, T.Q8_0, (4, 2, 32))))
    return out


# Every scalar value type, and an array of every element type (arrays of bools, floats and strings too).
SCALARS = [
    ("test.uint8", V.UINT8, 255), ("test.int8", V.INT8, -128), ("test.uint16", V.UINT16, 65535),
    ("test.int16", V.INT16, -32768), ("test.uint32", V.UINT32, 2**32 - 1), ("test.int32", V.INT32, -2**31),
    ("test.uint64", V.UINT64, 2**64 - 1), ("test.int64", V.INT64, -2**63), ("test.float32", V.FLOAT32, -1.0e-3),
    ("test.float64", V.FLOAT64, math.pi), ("test.bool.true", V.BOOL, True), ("test.bool.false", V.BOOL, False),
    ("test.string", V.STRING, "naïve café – 日本語 🦙"), ("test.string.empty", V.STRING, ""),
]
ARRAYS = [
    ("test.array.uint8", V.UINT8, [0, 1, 254, 255]), ("test.array.int8", V.INT8, [-128, -1, 0, 127]),
    ("test.array.uint16", V.UINT16, [0, 65535]), ("test.array.int16", V.INT16, [-32768, 32767]),
    ("test.array.uint32", V.UINT32, [7, 2**32 - 1]), ("test.array.int32", V.INT32, [1, -2, 3, 2**31 - 1]),
    ("test.array.uint64", V.UINT64, [0, 2**63, 2**64 - 1]), ("test.array.int64", V.INT64, [-2**63, 2**63 - 1]),
    ("test.array.float32", V.FLOAT32, [0.5, -1.25, 3.0e38, 1.0e-45]),
    ("test.array.float64", V.FLOAT64, [-0.0, 1.0e-310, 1.0e300]),
    ("test.array.bool", V.BOOL, [True, False, True]),
    ("test.array.string", V.STRING, ["a", "", "ü 🦙", "tokens"]),
]


def write_gguf(path, padding):
    """Writes blocks.gguf to `path` with a padding string of `padding` bytes."""
    writer = gguf.GGUFWriter(path, arch="fixture")
    writer.add_custom_alignment(ALIGNMENT)
    for key, vtype, value in SCALARS:
        writer.add_key_value(key, value, vtype)
    for key, vtype, values in ARRAYS:
        writer.add_key_value(key, values, V.ARRAY, sub_type=vtype)
    writer.add_key_value("test.padding", "x" * padding, V.STRING)
    for name, qtype, shape, raw in tensors():
        writer.add_tensor(name, raw, raw_dtype=qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def header_end(reader):
    """Where the last tensor info ends, before the padding to the alignment."""
    last = reader.tensors[-1].field
    return int(last.offset) + sum(int(part.nbytes) for part in last.parts)


def rendered(part, vtype):
    """One value as a string: integers in decimal, floats as the decimal bit pattern, bools, strings."""
    if vtype == V.STRING:
        return bytes(part).decode("utf-8")
    value = part[0]
    if vtype == V.BOOL:
        return "true" if value else "false"
    if vtype == V.FLOAT32:
        return str(int(np.float32(value).view(np.uint32)))
    if vtype == V.FLOAT64:
        return str(int(np.float64(value).view(np.uint64)))
    return str(int(value))


def reader_report(path):
    """What gguf.GGUFReader reads from `path`, for blocks-expected.json."""
    reader = gguf.GGUFReader(path)
    metadata = []
    for field in reader.fields.values():
        if field.name.startswith("GGUF."):
            continue
        element = field.types[-1] if field.types[0] == V.ARRAY else None
        metadata.append({
            "key": field.name, "start": int(field.offset), "type": field.types[0].name,
            "element": element.name if element is not None else None,
            "values": [rendered(field.parts[i], element if element is not None else field.types[0]) for i in field.data],
        })
    infos = [{
        "name": t.name, "start": int(t.field.offset), "dimensions": [int(d) for d in t.shape],
        "type": int(t.tensor_type), "offset": int(t.data_offset - reader.data_offset), "bytes": int(t.n_bytes),
    } for t in reader.tensors]
    return reader, {"version": int(reader.fields["GGUF.version"].parts[0][0]), "alignment": int(reader.alignment),
                    "header_end": header_end(reader), "data_start": int(reader.data_offset),
                    "metadata": metadata, "tensors": infos}


def main():
    mismatches = check_swift_table()
    if mismatches:
        sys.exit(f"{mismatches} type table mismatches: fix {SWIFT_TYPES}")
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "blocks.gguf")

    # The data start must move when the alignment is ignored: the tensor infos end in the first half of
    # a 64-byte line, so rounding up to 32 stops short of the 64-aligned data start.
    with tempfile.TemporaryDirectory() as scratch:
        probe = os.path.join(scratch, "probe.gguf")
        write_gguf(probe, padding=0)
        padding = (1 - header_end(gguf.GGUFReader(probe))) % ALIGNMENT
    write_gguf(path, padding)

    reader, report = reader_report(path)
    end = report["header_end"]
    assert report["alignment"] == ALIGNMENT and report["version"] == 3 and end % ALIGNMENT == 1, end
    assert -(-end // 32) * 32 != report["data_start"] == -(-end // ALIGNMENT) * ALIGNMENT
    written = {key: (vtype, value) for key, vtype, value in SCALARS}
    for entry in report["metadata"]:
        if entry["key"] in written and written[entry["key"]][0] not in (V.FLOAT32, V.FLOAT64):
            vtype, value = written[entry["key"]]
            assert entry["values"] == [rendered([value] if vtype != V.STRING else value.encode(), vtype)], entry

    expected = {}
    by_name = {t.name: t for t in reader.tensors}
    for name, qtype, shape, raw in tensors():
        assert np.array_equal(np.asarray(by_name[name].data).reshape(-1).view(np.uint8), raw.reshape(-1)), name
        values = gguf.quants.dequantize(raw, qtype)
        assert values.dtype == np.float32 and values.shape == shape and np.isfinite(values).all(), name
        expected[name] = np.ascontiguousarray(values)

    with open(path, "rb") as f:
        data = bytearray(f.read())
    data[4:8] = struct.pack("<I", 2)
    with open(os.path.join(OUT, "blocks-v2.gguf"), "wb") as f:
        f.write(data)
    assert gguf.GGUFReader(os.path.join(OUT, "blocks-v2.gguf")).fields["GGUF.version"].parts[0][0] == 2

    save_file(expected, os.path.join(OUT, "blocks-expected.safetensors"))
    with open(os.path.join(OUT, "blocks-expected.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1, ensure_ascii=False)
        f.write("\n")
    for file in sorted(os.listdir(OUT)):
        print(f"{os.path.join(OUT, file)}: {os.path.getsize(os.path.join(OUT, file))} bytes")


if __name__ == "__main__":
    main()
