#!/usr/bin/env python3
"""place_model.py — writes a copy of a firmware ELF with a .tflite model in its
flash slot, as a flashing tool would place it (port.h: a struct
port_model_slot header, then the model, at __model_slot_start), so that the
image runs by itself: `mcusim run OUT.elf --profile`, QEMU, a debugger's load.

  place_model.py FIRMWARE.elf MODEL.tflite -o OUT.elf

The model goes into a new loadable segment (program headers rewritten at the
end of the file); sections and symbols are unchanged.  `mcusim profile` does
the same in the simulated memory without writing a file.

Exit status 0, or 2 with one line naming the file and the problem.
"""
import struct
import sys

SLOT_MAGIC = 0x314C444D  # "MDL1"
PT_LOAD, PF_R = 1, 4
SHT_SYMTAB = 2


def fail(msg):
    sys.stderr.write("place_model.py: %s\n" % msg)
    sys.exit(2)


def symbols(elf, path):
    """name -> value of the ELF32 little-endian symbol table."""
    if len(elf) < 52 or elf[:4] != b"\x7fELF" or elf[4] != 1 or elf[5] != 1:
        fail("%s: not a 32-bit little-endian ELF file" % path)
    shoff, = struct.unpack_from("<I", elf, 32)
    shentsize, shnum = struct.unpack_from("<HH", elf, 46)
    if shoff == 0 or shoff + shnum * shentsize > len(elf):
        fail("%s: no section table" % path)
    sections = [struct.unpack_from("<IIIIIIIIII", elf, shoff + i * shentsize) for i in range(shnum)]
    out = {}
    for sh in sections:
        if sh[1] != SHT_SYMTAB or sh[6] >= shnum:
            continue
        strtab = sections[sh[6]]
        for off in range(sh[4], sh[4] + sh[5] - 15, 16):
            name_off, value = struct.unpack_from("<II", elf, off)
            start = strtab[4] + name_off
            name = elf[start:elf.index(b"\0", start)].decode("ascii", "replace")
            out[name] = value
    return out


def main(argv):
    if len(argv) != 5 or argv[3] != "-o":
        sys.stderr.write("usage: place_model.py FIRMWARE.elf MODEL.tflite -o OUT.elf\n")
        sys.exit(2)
    fw_path, model_path, out_path = argv[1], argv[2], argv[4]
    try:
        elf = bytearray(open(fw_path, "rb").read())
        model = open(model_path, "rb").read()
    except OSError as e:
        fail("%s: cannot read: %s" % (e.filename, e.strerror))
    syms = symbols(elf, fw_path)
    if "__model_slot_start" not in syms or "__model_slot_end" not in syms:
        fail("%s: no model slot (__model_slot_start/__model_slot_end): not linked with mcusim's port" % fw_path)
    start, end = syms["__model_slot_start"], syms["__model_slot_end"]
    blob = struct.pack("<4I", SLOT_MAGIC, len(model), 0, 0) + model
    if start + len(blob) > end:
        fail("%s does not fit in flash: the model needs %d bytes, the slot of %s has %d"
             % (model_path, len(blob), fw_path, max(0, end - start)))

    phoff, = struct.unpack_from("<I", elf, 28)
    phentsize, phnum = struct.unpack_from("<HH", elf, 42)
    phdrs = bytes(elf[phoff:phoff + phentsize * phnum])
    elf += b"\0" * (-len(elf) % 16)
    blob_off = len(elf)
    elf += blob
    elf += b"\0" * (-len(elf) % 4)
    new_phoff = len(elf)
    elf += phdrs + struct.pack("<8I", PT_LOAD, blob_off, start, start, len(blob), len(blob), PF_R, 16)
    struct.pack_into("<I", elf, 28, new_phoff)
    struct.pack_into("<H", elf, 44, phnum + 1)
    try:
        open(out_path, "wb").write(elf)
    except OSError as e:
        fail("%s: cannot write: %s" % (out_path, e.strerror))


if __name__ == "__main__":
    main(sys.argv)
