/*
 * rpcbench: one tiny libvirt client for the side-by-side RPC figures (docs/performance.md), used against
 * libvirtd and jvirtd alike.
 *
 *   rpcbench URI getinfo N        N virDomainGetInfo round trips on domain "test"; prints us/call
 *   rpcbench URI hold N SECONDS   opens N connections, holds them SECONDS, closes them
 */
#include <libvirt/libvirt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_seconds(const struct rusage *r)
{
    return r->ru_utime.tv_sec + r->ru_stime.tv_sec + (r->ru_utime.tv_usec + r->ru_stime.tv_usec) / 1e6;
}

static int getinfo(const char *uri, long n)
{
    virConnectPtr c = virConnectOpen(uri);
    if (!c)
        return 1;
    virDomainPtr d = virDomainLookupByName(c, "test");
    if (!d)
        return 1;
    virDomainInfo info;
    for (long i = 0; i < n / 10 + 1; i++) /* warm-up */
        if (virDomainGetInfo(d, &info) < 0)
            return 1;
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    double t0 = now();
    for (long i = 0; i < n; i++)
        if (virDomainGetInfo(d, &info) < 0)
            return 1;
    double t = now() - t0;
    getrusage(RUSAGE_SELF, &r1);
    printf("getinfo: %ld calls in %.3f s: %.2f us/call, %.0f calls/s\n", n, t, t * 1e6 / n, n / t);
    /* the client's own CPU per call (user + system): what the daemon cannot make faster */
    printf("client cpu: %.2f us/call\n", (cpu_seconds(&r1) - cpu_seconds(&r0)) * 1e6 / n);
    virDomainFree(d);
    virConnectClose(c);
    return 0;
}

static int hold(const char *uri, long n, int seconds)
{
    virConnectPtr *conns = calloc(n, sizeof(*conns));
    for (long i = 0; i < n; i++) {
        conns[i] = virConnectOpen(uri);
        if (!conns[i]) {
            fprintf(stderr, "open %ld failed\n", i);
            return 1;
        }
    }
    printf("hold: %ld connections open\n", n);
    fflush(stdout);
    sleep(seconds);
    for (long i = 0; i < n; i++)
        virConnectClose(conns[i]);
    free(conns);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[2], "getinfo") == 0)
        return getinfo(argv[1], atol(argv[3]));
    if (argc >= 5 && strcmp(argv[2], "hold") == 0)
        return hold(argv[1], atol(argv[3]), atoi(argv[4]));
    fprintf(stderr, "usage: rpcbench URI getinfo N | rpcbench URI hold N SECONDS\n");
    return 2;
}
