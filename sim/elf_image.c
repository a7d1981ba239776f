/*
 * elf_image.c — reads a 32-bit little-endian ARM executable with libelf.
 *
 * The whole file is read into memory first and handed to elf_memory(), so
 * files and in-memory buffers (fuzzing) take the same path.  libelf checks
 * the structure it parses; the bounds of segment data, the symbol table and
 * the string references are checked here again before anything is used.
 */
#include "elf_image.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_SEGMENTS 64
#define MAX_FILE_BYTES (256u * 1024u * 1024u)

__attribute__((format(printf, 4, 5)))
static int fail(const char *name, char *err, size_t errlen, const char *fmt, ...)
{
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "%s: %s", name, msg);
    return -1;
}

static int by_addr(const void *a, const void *b)
{
    const struct elf_symbol *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    /* Functions first, labels last, then by name: a total, stable order. */
    if (x->is_func != y->is_func)
        return x->is_func ? -1 : 1;
    if (x->is_label != y->is_label)
        return x->is_label ? 1 : -1;
    return strcmp(x->name, y->name);
}

static int read_symbols(Elf *elf, const char *name, struct elf_image *img, char *err, size_t errlen)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(elf, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        if (!d || !sh.sh_entsize)
            return fail(name, err, errlen, "unreadable symbol table");
        size_t n = sh.sh_size / sh.sh_entsize;
        if (n > 4u * 1024u * 1024u)
            return fail(name, err, errlen, "symbol table too large (%zu entries)", n);
        img->syms = calloc(n ? n : 1, sizeof *img->syms);
        if (!img->syms)
            return fail(name, err, errlen, "out of memory");
        for (size_t i = 0; i < n; i++) {
            GElf_Sym s;
            if (!gelf_getsym(d, (int)i, &s))
                return fail(name, err, errlen, "unreadable symbol %zu", i);
            int type = GELF_ST_TYPE(s.st_info);
            /* Global untyped symbols are linker-script labels (__arena_start):
             * kept for lookups by name, never used to name an address. */
            bool label = type == STT_NOTYPE && GELF_ST_BIND(s.st_info) == STB_GLOBAL;
            if ((type != STT_FUNC && type != STT_OBJECT && !label) || s.st_shndx == SHN_UNDEF)
                continue;
            const char *sname = elf_strptr(elf, sh.sh_link, s.st_name);
            if (!sname || !*sname)
                continue;
            struct elf_symbol *sym = &img->syms[img->n_syms];
            sym->addr = (uint32_t)s.st_value & (type == STT_FUNC ? ~1u : ~0u);
            sym->size = (uint32_t)s.st_size;
            sym->is_func = type == STT_FUNC;
            sym->is_label = label;
            sym->name = strdup(sname);
            if (!sym->name)
                return fail(name, err, errlen, "out of memory");
            img->n_syms++;
        }
        qsort(img->syms, img->n_syms, sizeof *img->syms, by_addr);
        return 0;
    }
    return 0; /* a stripped image is fine: addresses print as numbers */
}

static void add_section_sizes(Elf *elf, struct elf_image *img)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(elf, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) || !sh.sh_size)
            continue;
        uint32_t size = (uint32_t)sh.sh_size;
        if (sh.sh_type == SHT_NOBITS)
            img->sizes.bss += size;
        else if (sh.sh_flags & SHF_EXECINSTR)
            img->sizes.code += size;
        else if (sh.sh_flags & SHF_WRITE)
            img->sizes.data += size;
        else
            img->sizes.rodata += size;
    }
}

static int parse(const char *name, Elf *elf, size_t len, struct elf_image *img, char *err, size_t errlen)
{
    if (elf_kind(elf) != ELF_K_ELF)
        return fail(name, err, errlen, "not an ELF file");
    char *ident = elf_getident(elf, NULL);
    if (!ident)
        return fail(name, err, errlen, "truncated ELF header");
    if (ident[EI_CLASS] != ELFCLASS32)
        return fail(name, err, errlen, "not a 32-bit ELF file (Cortex-M firmware is ELF32)");
    if (ident[EI_DATA] != ELFDATA2LSB)
        return fail(name, err, errlen, "not a little-endian ELF file");
    GElf_Ehdr eh;
    if (!gelf_getehdr(elf, &eh))
        return fail(name, err, errlen, "truncated or corrupt ELF header (%s)", elf_errmsg(-1));
    if (eh.e_machine != EM_ARM)
        return fail(name, err, errlen, "not an ARM executable (e_machine %u)", eh.e_machine);
    if (eh.e_type != ET_EXEC)
        return fail(name, err, errlen, "not an executable (e_type %u; link the firmware first)", eh.e_type);
    img->entry = (uint32_t)eh.e_entry;

    size_t nph;
    if (elf_getphdrnum(elf, &nph))
        return fail(name, err, errlen, "corrupt program header table (%s)", elf_errmsg(-1));
    if (nph > MAX_SEGMENTS)
        return fail(name, err, errlen, "too many program headers (%zu)", nph);
    img->segs = calloc(nph ? nph : 1, sizeof *img->segs);
    if (!img->segs)
        return fail(name, err, errlen, "out of memory");
    for (size_t i = 0; i < nph; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(elf, (int)i, &ph))
            return fail(name, err, errlen, "truncated or corrupt program header %zu", i);
        if (ph.p_type != PT_LOAD || (!ph.p_filesz && !ph.p_memsz))
            continue;
        if (ph.p_filesz > ph.p_memsz)
            return fail(name, err, errlen, "segment %zu has more file bytes than memory bytes", i);
        if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset)
            return fail(name, err, errlen, "truncated file: segment %zu needs bytes %llu..%llu of %zu", i,
                        (unsigned long long)ph.p_offset,
                        (unsigned long long)(ph.p_offset + ph.p_filesz), len);
        if (ph.p_paddr + (uint64_t)ph.p_memsz > 0x100000000ull ||
            ph.p_vaddr + (uint64_t)ph.p_memsz > 0x100000000ull)
            return fail(name, err, errlen, "segment %zu extends past the 4 GB address space", i);
        struct elf_segment *s = &img->segs[img->n_segs++];
        s->paddr = (uint32_t)ph.p_paddr;
        s->vaddr = (uint32_t)ph.p_vaddr;
        s->filesz = (uint32_t)ph.p_filesz;
        s->memsz = (uint32_t)ph.p_memsz;
        s->flags = ph.p_flags;
        if (s->filesz) {
            Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_BYTE);
            if (!d || !d->d_buf)
                return fail(name, err, errlen, "truncated file: segment %zu unreadable", i);
            s->data = malloc(s->filesz);
            if (!s->data)
                return fail(name, err, errlen, "out of memory");
            memcpy(s->data, d->d_buf, s->filesz);
        }
    }
    if (!img->n_segs)
        return fail(name, err, errlen, "no loadable segments");
    if (read_symbols(elf, name, img, err, errlen))
        return -1;
    add_section_sizes(elf, img);
    return 0;
}

int elf_image_load_mem(const char *name, const void *bytes, size_t len,
                       struct elf_image *img, char *err, size_t errlen)
{
    memset(img, 0, sizeof *img);
    snprintf(img->path, sizeof img->path, "%s", name);
    if (len < 4 || memcmp(bytes, ELFMAG, SELFMAG))
        return fail(name, err, errlen, len < 4 ? "file too short to be an ELF file" : "not an ELF file");
    if (elf_version(EV_CURRENT) == EV_NONE)
        return fail(name, err, errlen, "libelf initialisation failed");
    Elf *elf = elf_memory((char *)bytes, len);
    if (!elf)
        return fail(name, err, errlen, "not a readable ELF file (%s)", elf_errmsg(-1));
    int rc = parse(name, elf, len, img, err, errlen);
    elf_end(elf);
    if (rc)
        elf_image_free(img);
    return rc;
}

int elf_image_load(const char *path, struct elf_image *img, char *err, size_t errlen)
{
    memset(img, 0, sizeof *img);
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(path, err, errlen, "cannot open: %s", strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode)) { /* a directory opens, and "has" LONG_MAX bytes */
        fclose(f);
        return fail(path, err, errlen, "cannot read: not a regular file");
    }
    if (fseek(f, 0, SEEK_END) || ftell(f) < 0) {
        fclose(f);
        return fail(path, err, errlen, "cannot read: not a regular file");
    }
    long size = ftell(f);
    rewind(f);
    if ((unsigned long)size > MAX_FILE_BYTES) {
        fclose(f);
        return fail(path, err, errlen, "file too large for a firmware image (%ld bytes)", size);
    }
    char *buf = malloc(size ? (size_t)size : 1);
    if (!buf) {
        fclose(f);
        return fail(path, err, errlen, "out of memory");
    }
    size_t got = fread(buf, 1, (size_t)size, f);
    fclose(f);
    int rc = got == (size_t)size ? elf_image_load_mem(path, buf, got, img, err, errlen)
                                 : fail(path, err, errlen, "read error");
    free(buf);
    return rc;
}

void elf_image_free(struct elf_image *img)
{
    for (int i = 0; i < img->n_segs; i++)
        free(img->segs[i].data);
    free(img->segs);
    for (int i = 0; i < img->n_syms; i++)
        free(img->syms[i].name);
    free(img->syms);
    img->segs = NULL;
    img->syms = NULL;
    img->n_segs = img->n_syms = 0;
}

const struct elf_symbol *elf_image_symbol_at(const struct elf_image *img, uint32_t addr,
                                             uint32_t *offset)
{
    /* Binary search for the last symbol at or below addr. */
    int lo = 0, hi = img->n_syms - 1, best = -1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (img->syms[mid].addr <= addr) {
            best = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    /* Skip linker labels, then prefer the function among equal addresses
     * (sorted first at one address). */
    while (best >= 0 && img->syms[best].is_label)
        best--;
    while (best > 0 && img->syms[best - 1].addr == img->syms[best].addr)
        best--;
    if (best < 0)
        return NULL;
    const struct elf_symbol *s = &img->syms[best];
    if (s->size && addr - s->addr >= s->size && !s->is_func)
        return NULL;
    if (offset)
        *offset = addr - s->addr;
    return s;
}

int elf_image_symbol_addr(const struct elf_image *img, const char *name, uint32_t *addr)
{
    for (int i = 0; i < img->n_syms; i++) {
        if (!strcmp(img->syms[i].name, name)) {
            *addr = img->syms[i].addr;
            return 0;
        }
    }
    return -1;
}

void elf_image_format_addr(const struct elf_image *img, uint32_t addr, char *buf, size_t len)
{
    uint32_t off;
    const struct elf_symbol *s = img ? elf_image_symbol_at(img, addr, &off) : NULL;
    if (s && off)
        snprintf(buf, len, "%s+0x%x", s->name, off);
    else if (s)
        snprintf(buf, len, "%s", s->name);
    else
        snprintf(buf, len, "0x%08x", addr);
}
