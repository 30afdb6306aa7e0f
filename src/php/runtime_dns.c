/* SPDX-License-Identifier: MIT */
/*
 * HOOK_DNS: name resolution on a helper thread of the reactor (tide_reactor_work), in the
 * calling coroutine: gethostbyname(), gethostbynamel(), and the resolution inside a hooked
 * tcp:// or udp:// connect (runtime_stream.c), which is what stream_socket_client(),
 * fsockopen(), file_get_contents('http://...'), mysqlnd and phpredis go through. A slow or
 * unreachable DNS server holds up only the coroutine that asked.
 *
 * The lookups are the ones PHP makes, with the same results: gethostbyname_r(3) for the two
 * functions (gethostbyname(3), made thread-safe), getaddrinfo(3) with PHP's hints for a
 * connect, and PHP's own warnings and error texts when they fail. Outside a coroutine or
 * with the hook off, the stock functions run. Not hooked: dns_get_record(), checkdnsrr(),
 * getmxrr() and gethostbyaddr() (libresolv queries of their own).
 *
 * A coroutine canceled while it waits still gets the answer (a lookup cannot be recalled
 * from its thread); one killed leaves the lookup to finish on memory of its own.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <sys/socket.h>

#include "php.h"
#include "php_network.h"
#include "php_tide.h"
#include "tide/reactor.h"

/* What one lookup asks for and answers: the thread's whole view (no pointers into the
 * coroutine's memory, which a killed coroutine gives up). */
#define DNS_MAX_ADDRS 32
struct php_tide_dns {
    char host[MAXFQDNLEN + 1];
    int socktype; /* 0: gethostbyname_r; else getaddrinfo for this socket type */
    int family;   /* getaddrinfo's hints */
    int protocol;
    int err;      /* getaddrinfo's error; for gethostbyname_r, h_errno */
    bool found;   /* gethostbyname_r gave a host entry */
    int n;
    struct sockaddr_storage addrs[DNS_MAX_ADDRS];
};

static ssize_t lookup_byname(php_tide_dns_t *j)
{
    struct hostent he, *hp = NULL;
    size_t len = 8192;
    char *buf = malloc(len);
    int rc;
    while (buf && (rc = gethostbyname_r(j->host, &he, buf, len, &hp, &j->err)) == ERANGE &&
           len < (1u << 20)) {
        len *= 2;
        char *bigger = realloc(buf, len);
        if (!bigger)
            break;
        buf = bigger;
    }
    j->found = hp != NULL;
    if (hp && hp->h_addrtype == AF_INET)
        for (char **a = hp->h_addr_list; *a && j->n < DNS_MAX_ADDRS; a++) {
            struct sockaddr_in *sin = (struct sockaddr_in *)&j->addrs[j->n++];
            sin->sin_family = AF_INET;
            memcpy(&sin->sin_addr, *a, sizeof(sin->sin_addr));
        }
    free(buf);
    return j->n;
}

static ssize_t lookup(void *arg)
{
    php_tide_dns_t *j = arg;
    if (j->socktype == 0)
        return lookup_byname(j);
    struct addrinfo hints = {.ai_family = j->family, .ai_socktype = j->socktype,
                             .ai_protocol = j->protocol},
                    *res = NULL;
    j->err = getaddrinfo(j->host, NULL, &hints, &res);
    if (j->err != 0)
        return -1;
    for (struct addrinfo *ai = res; ai && j->n < DNS_MAX_ADDRS; ai = ai->ai_next)
        if (ai->ai_addrlen <= sizeof(j->addrs[0]))
            memcpy(&j->addrs[j->n++], ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(res);
    return j->n;
}

/* Runs j's lookup in a helper thread while the coroutine waits (in place when the reactor
 * has no thread to give). 0, or TIDE_EKILLED with exit thrown. */
static int resolve(php_tide_dns_t *j, const char *what)
{
    php_tide_op_wait_t *w = php_tide_op_wait_new(sizeof(*j));
    php_tide_dns_t *tj = php_tide_op_wait_buf(w);
    memcpy(tj, j, sizeof(*j));
    if (tide_reactor_work(php_tide_reactor(), lookup, tj, php_tide_op_done, w) < 0) {
        php_tide_op_wait_free(w);
        lookup(j);
        return 0;
    }
    ssize_t res;
    if (php_tide_op_await(w, what, &res) < 0)
        return TIDE_EKILLED;
    memcpy(j, tj, sizeof(*j));
    php_tide_op_wait_free(w);
    return 0;
}

/* ---- the resolution inside a connect ---- */

php_tide_dns_t *php_tide_dns_connect_lookup(const char *host, size_t host_len, int socktype,
                                            const char *what, int *rc)
{
    *rc = 0;
    if (host_len > MAXFQDNLEN || memchr(host, 0, host_len))
        return NULL;
    php_tide_dns_t *j = ecalloc(1, sizeof(*j));
    memcpy(j->host, host, host_len);
    j->socktype = socktype;
    /* PHP asks for IPv6 too when the system can make an IPv6 socket. */
    static int v6 = -1;
    if (v6 < 0) {
        int s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        v6 = s >= 0;
        if (s >= 0)
            close(s);
    }
    j->family = v6 ? AF_UNSPEC : AF_INET;
    *rc = resolve(j, what);
    if (*rc < 0) {
        efree(j);
        return NULL;
    }
    return j;
}

php_tide_dns_t *php_tide_dns_lookup(const char *host, size_t host_len, int family, int socktype,
                                    int protocol, const char *what, int *rc)
{
    *rc = 0;
    if (host_len > MAXFQDNLEN || memchr(host, 0, host_len))
        return NULL;
    php_tide_dns_t *j = ecalloc(1, sizeof(*j));
    memcpy(j->host, host, host_len);
    j->socktype = socktype > 0 ? socktype : SOCK_STREAM;
    j->family = family;
    j->protocol = protocol;
    *rc = resolve(j, what);
    if (*rc < 0) {
        efree(j);
        return NULL;
    }
    return j;
}

int php_tide_dns_ip(const php_tide_dns_t *j, int i, char *out, size_t len)
{
    const struct sockaddr_storage *ss = &j->addrs[i];
    if (ss->ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, out, (socklen_t)len);
    else
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, out, (socklen_t)len);
    return ss->ss_family;
}

int php_tide_dns_count(const php_tide_dns_t *j)
{
    return j->n;
}

zend_string *php_tide_dns_error(const php_tide_dns_t *j)
{
    /* PHP's own text for a failed lookup (main/network.c), which it also warns with. */
    if (j->err != 0)
        return strpprintf(0, "php_network_getaddresses: getaddrinfo for %s failed: %s", j->host,
                          gai_strerror(j->err));
    return strpprintf(0, "php_network_getaddresses: getaddrinfo for %s failed (null result "
                         "pointer) errno=%d",
                      j->host, 0);
}

/* "ip:port" (an IPv6 address in brackets) for address i, as a transport's name. */
size_t php_tide_dns_name(const php_tide_dns_t *j, int i, unsigned port, char *out, size_t len)
{
    char ip[INET6_ADDRSTRLEN];
    const struct sockaddr_storage *ss = &j->addrs[i];
    if (ss->ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, ip, sizeof(ip));
        return (size_t)snprintf(out, len, "[%s]:%u", ip, port);
    }
    inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, ip, sizeof(ip));
    return (size_t)snprintf(out, len, "%s:%u", ip, port);
}

/* ---- gethostbyname(), gethostbynamel() ---- */

static zif_handler stock_byname, stock_bynamel;

/* The lookup for one of the two, or false: the stock function's to do (outside a coroutine,
 * hook off, a name PHP refuses with its own warning). */
static bool byname(zend_execute_data *execute_data, php_tide_dns_t *j, int *rc,
                   const char *what)
{
    char *host;
    size_t len;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_PATH(host, len)
    ZEND_PARSE_PARAMETERS_END_EX(return false);
    if (len > MAXFQDNLEN || !php_tide_hooked(PHP_TIDE_HOOK_DNS))
        return false;
    memset(j, 0, sizeof(*j));
    memcpy(j->host, host, len);
    *rc = resolve(j, what);
    return true;
}

static ZEND_NAMED_FUNCTION(hook_gethostbyname)
{
    php_tide_dns_t j;
    int rc;
    if (!byname(execute_data, &j, &rc, "gethostbyname()")) {
        if (!EG(exception))
            stock_byname(execute_data, return_value);
        return;
    }
    if (rc < 0)
        RETURN_THROWS();
    char ip[INET_ADDRSTRLEN];
    if (j.n == 0 ||
        !inet_ntop(AF_INET, &((struct sockaddr_in *)&j.addrs[0])->sin_addr, ip, sizeof(ip)))
        RETURN_STRING(j.host); /* as PHP: the name itself when it has no address */
    RETURN_STRING(ip);
}

static ZEND_NAMED_FUNCTION(hook_gethostbynamel)
{
    php_tide_dns_t j;
    int rc;
    if (!byname(execute_data, &j, &rc, "gethostbynamel()")) {
        if (!EG(exception))
            stock_bynamel(execute_data, return_value);
        return;
    }
    if (rc < 0)
        RETURN_THROWS();
    if (!j.found)
        RETURN_FALSE;
    array_init(return_value);
    for (int i = 0; i < j.n; i++) {
        char ip[INET_ADDRSTRLEN];
        if (inet_ntop(AF_INET, &((struct sockaddr_in *)&j.addrs[i])->sin_addr, ip, sizeof(ip)))
            add_next_index_string(return_value, ip);
    }
}

void php_tide_dns_hooks_minit(void)
{
    php_tide_hook_function("gethostbyname", hook_gethostbyname, &stock_byname);
    php_tide_hook_function("gethostbynamel", hook_gethostbynamel, &stock_bynamel);
}

void php_tide_dns_hooks_mshutdown(void)
{
    php_tide_unhook_function("gethostbyname", hook_gethostbyname, &stock_byname);
    php_tide_unhook_function("gethostbynamel", hook_gethostbynamel, &stock_bynamel);
}
