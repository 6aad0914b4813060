/*
 * LD_PRELOAD shim for libvirt's libxl driver on a host without Xen: paths under /proc/xen/ are answered
 * from $FAKEXEN_DIR/proc_NAME (the tests write proc_capabilities = "control_d", so the driver believes it
 * runs in dom0). Everything else goes to libc unchanged.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PROC_XEN "/proc/xen/"

static const char *redirect(const char *path, char *buf, size_t len)
{
    if (path == NULL || strncmp(path, PROC_XEN, sizeof(PROC_XEN) - 1) != 0)
        return path;
    const char *dir = getenv("FAKEXEN_DIR");
    snprintf(buf, len, "%s/proc_%s", dir ? dir : "/nonexistent", path + sizeof(PROC_XEN) - 1);
    return buf;
}

typedef int (*access_fn)(const char *, int);
typedef int (*stat_fn)(const char *, struct stat *);

int access(const char *path, int mode)
{
    char buf[1024];
    access_fn real = (access_fn) dlsym(RTLD_NEXT, "access");
    return real(redirect(path, buf, sizeof buf), mode);
}

int stat(const char *path, struct stat *st)
{
    char buf[1024];
    stat_fn real = (stat_fn) dlsym(RTLD_NEXT, "stat");
    return real(redirect(path, buf, sizeof buf), st);
}

static int open_common(const char *sym, const char *path, int flags, mode_t mode)
{
    char buf[1024];
    int (*real)(const char *, int, ...) = (int (*)(const char *, int, ...)) dlsym(RTLD_NEXT, sym);
    return real(redirect(path, buf, sizeof buf), flags, mode);
}

int open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    return open_common("open", path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    return open_common("open64", path, flags, mode);
}
