/* SPDX-License-Identifier: MIT */
/*
 * The message set (tide/msg.h): one table says, for every type, who receives it and what
 * its payload must be; receivers check with it before they act.
 */
#include <string.h>

#include "tide/common.h"
#include "tide/msg.h"

enum {
    NONE,  /* no payload */
    BYTES, /* any payload */
    PEER,  /* a tide_msg_peer_t, then any bytes */
    FILE_, /* exactly a tide_msg_sendfile_t */
    DFILE, /* a tide_msg_datafile_t, then any bytes */
    TASK,  /* a tide_msg_task_t, then any bytes; the session (a task id) is not 0 */
    RELAY, /* a tide_msg_relay_t, then the inner payload */
    DONES, /* one or more tide_msg_done_t */
    EPOCH, /* exactly a uint32_t */
    SMALL, /* at most TIDE_MSG_CONTROL_MAX bytes */
};

static const struct desc {
    const char *name;
    unsigned to;
    unsigned char payload;
} msgs[TIDE_MSG_COUNT] = {
    [TIDE_MSG_CONNECT] = {"CONNECT", TIDE_MSG_TO_WORKER, NONE},
    [TIDE_MSG_DATA] = {"DATA", TIDE_MSG_TO_WORKER, BYTES},
    [TIDE_MSG_DATA_FILE] = {"DATA_FILE", TIDE_MSG_TO_WORKER, DFILE},
    [TIDE_MSG_CLOSE] = {"CLOSE", TIDE_MSG_TO_WORKER, NONE},
    [TIDE_MSG_PACKET] = {"PACKET", TIDE_MSG_TO_WORKER, PEER},
    [TIDE_MSG_PIPE] = {"PIPE", TIDE_MSG_TO_WORKER, BYTES},
    [TIDE_MSG_ACK] = {"ACK", TIDE_MSG_TO_WORKER, NONE},
    [TIDE_MSG_TASK] = {"TASK", TIDE_MSG_TO_WORKER, TASK},
    [TIDE_MSG_FINISH] = {"FINISH", TIDE_MSG_TO_WORKER, TASK},
    [TIDE_MSG_DIRECT] = {"DIRECT", TIDE_MSG_TO_WORKER, EPOCH},
    [TIDE_MSG_SEND] = {"SEND", TIDE_MSG_TO_OWNER, BYTES},
    [TIDE_MSG_CLOSE_REQ] = {"CLOSE_REQ", TIDE_MSG_TO_OWNER, NONE},
    [TIDE_MSG_PAUSE] = {"PAUSE", TIDE_MSG_TO_OWNER, NONE},
    [TIDE_MSG_RESUME] = {"RESUME", TIDE_MSG_TO_OWNER, NONE},
    [TIDE_MSG_SENDFILE] = {"SENDFILE", TIDE_MSG_TO_OWNER, FILE_},
    [TIDE_MSG_EXITING] = {"EXITING", TIDE_MSG_TO_HUB, NONE},
    [TIDE_MSG_DONE] = {"DONE", TIDE_MSG_TO_HUB, DONES},
    [TIDE_MSG_PIPE_REQ] = {"PIPE_REQ", TIDE_MSG_TO_HUB, BYTES},
    [TIDE_MSG_RELAY] = {"RELAY", TIDE_MSG_TO_HUB, RELAY},
    [TIDE_MSG_SHUTDOWN] = {"SHUTDOWN", TIDE_MSG_TO_HUB, NONE},
    [TIDE_MSG_RELOAD] = {"RELOAD", TIDE_MSG_TO_HUB, NONE},
    [TIDE_MSG_TASK_REQ] = {"TASK_REQ", TIDE_MSG_TO_HUB, TASK},
    [TIDE_MSG_TASK_END] = {"TASK_END", TIDE_MSG_TO_HUB, TASK},
    [TIDE_MSG_CONTROL] = {"CONTROL", TIDE_MSG_TO_OWNER, SMALL},
};

static const struct desc *desc_of(int type)
{
    if (type <= 0 || type >= TIDE_MSG_COUNT || !msgs[type].name)
        return NULL;
    return &msgs[type];
}

const char *tide_msg_name(int type)
{
    const struct desc *d = desc_of(type);
    return d ? d->name : "?";
}

static bool is_owner_msg(uint32_t type)
{
    const struct desc *d = desc_of((int)type);
    return d && (d->to & TIDE_MSG_TO_OWNER);
}

/* Whether the payload (of the inner request, for a relay) has the shape `kind` asks. */
static int check_payload(unsigned kind, uint64_t session, size_t len)
{
    switch (kind) {
    case NONE:
        return len == 0 ? 0 : TIDE_EPROTO;
    case BYTES:
        return 0;
    case SMALL:
        return len <= TIDE_MSG_CONTROL_MAX ? 0 : TIDE_EPROTO;
    case PEER:
        return len >= sizeof(tide_msg_peer_t) ? 0 : TIDE_EPROTO;
    case FILE_:
        return len == sizeof(tide_msg_sendfile_t) && session ? 0 : TIDE_EPROTO;
    case DFILE:
        return len >= sizeof(tide_msg_datafile_t) ? 0 : TIDE_EPROTO;
    case TASK:
        return len >= sizeof(tide_msg_task_t) && session ? 0 : TIDE_EPROTO;
    case RELAY:
        return len >= sizeof(tide_msg_relay_t) ? 0 : TIDE_EPROTO;
    case DONES:
        return len && len % sizeof(tide_msg_done_t) == 0 ? 0 : TIDE_EPROTO;
    case EPOCH:
        return len == sizeof(uint32_t) ? 0 : TIDE_EPROTO;
    }
    return TIDE_EPROTO;
}

int tide_msg_check(int type, uint64_t session, uint32_t field, const char *payload, size_t len,
                   unsigned to)
{
    TIDE_UNUSED(field);
    const struct desc *d = desc_of(type);
    if (!d || !(d->to & to))
        return TIDE_EPROTO;
    /* Messages about a connection name one (a relayed owner request is one too: the hub
     * would pass it on with session 0, for its owner to refuse). */
    if ((d->to & TIDE_MSG_TO_OWNER) && session == 0)
        return TIDE_EPROTO;
    if ((type == TIDE_MSG_CONNECT || type == TIDE_MSG_DATA || type == TIDE_MSG_DATA_FILE ||
         type == TIDE_MSG_CLOSE || type == TIDE_MSG_DIRECT ||
         type == TIDE_MSG_RELAY) &&
        session == 0)
        return TIDE_EPROTO;
    int rc = check_payload(d->payload, session, len);
    if (rc == 0 && type == TIDE_MSG_RELAY) {
        /* The request it carries is checked as one of its own. */
        tide_msg_relay_t head;
        const char *inner;
        size_t inner_len;
        rc = tide_msg_relay_decode(payload, len, &head, &inner, &inner_len);
    }
    return rc;
}

int tide_msg_packet_decode(const char *payload, size_t len, tide_msg_peer_t *peer,
                           const char **data, size_t *data_len)
{
    if (len < sizeof(*peer))
        return TIDE_EPROTO;
    memcpy(peer, payload, sizeof(*peer)); /* the payload may not be aligned */
    if (!memchr(peer->addr, 0, sizeof(peer->addr)))
        return TIDE_EPROTO;
    *data = payload + sizeof(*peer);
    *data_len = len - sizeof(*peer);
    return 0;
}

int tide_msg_sendfile_decode(const char *payload, size_t len, tide_msg_sendfile_t *out)
{
    if (len != sizeof(*out))
        return TIDE_EPROTO;
    memcpy(out, payload, sizeof(*out));
    if (out->length == 0 || out->offset > INT64_MAX || out->length > INT64_MAX - out->offset)
        return TIDE_EPROTO;
    return 0;
}

int tide_msg_datafile_decode(const char *payload, size_t len, tide_msg_datafile_t *out,
                             const char **head, size_t *head_len)
{
    if (len < sizeof(*out))
        return TIDE_EPROTO;
    memcpy(out, payload, sizeof(*out)); /* the payload may not be aligned */
    if (out->body_len > INT64_MAX)
        return TIDE_EPROTO;
    *head = payload + sizeof(*out);
    *head_len = len - sizeof(*out);
    return 0;
}

int tide_msg_relay_decode(const char *payload, size_t len, tide_msg_relay_t *head,
                          const char **inner, size_t *inner_len)
{
    if (len < sizeof(*head))
        return TIDE_EPROTO;
    memcpy(head, payload, sizeof(*head));
    if (!is_owner_msg(head->type))
        return TIDE_EPROTO;
    *inner = payload + sizeof(*head);
    *inner_len = len - sizeof(*head);
    return check_payload(msgs[head->type].payload, 1, *inner_len);
}
