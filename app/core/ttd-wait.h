/* ttd-wait.h — waiting: cancellable sleeps, back-off, rate windows, the network
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * TtdPacer:
 *
 * Keeps requests under a limit per sliding window (TikTok's rate limits),
 * shared by every thread. Embed it; ttd_pacer_init() and ttd_pacer_clear()
 * it like a #GMutex.
 */
typedef struct
{
  /*< private >*/
  GMutex  lock;
  GArray *times;     /* monotonic µs of the latest requests, oldest first */
  guint   limit;
  gint64  window;    /* µs */
} TtdPacer;

/**
 * TtdWaitReason:
 * @TTD_WAIT_NONE: not waiting
 * @TTD_WAIT_PENDING_CAP: TikTok's inbox holds as many drafts as it allows
 *   (`spam_risk_too_many_pending_share`): the user must act on some in the
 *   TikTok app
 * @TTD_WAIT_RATE_LIMIT: TikTok's per-minute limit (`rate_limit_exceeded`)
 * @TTD_WAIT_ELSEWHERE: another process is sending the item right now
 *
 * Why a queue item is held back; also the codes of %TTD_WAIT_ERROR.
 */
typedef enum
{
  TTD_WAIT_NONE,
  TTD_WAIT_PENDING_CAP,
  TTD_WAIT_RATE_LIMIT,
  TTD_WAIT_ELSEWHERE,
} TtdWaitReason;

/**
 * TTD_WAIT_ERROR:
 *
 * The error a sender returns for an item that TikTok (or another process)
 * holds back: it is still queued and will be tried again at the time
 * ttd_wait_error_get_next_try() gives. An extended error domain, so that
 * time travels with the error.
 */
#define TTD_WAIT_ERROR (ttd_wait_error_quark ())
GQuark    ttd_wait_error_quark    (void);

gboolean  ttd_sleep_cancellable   (guint          milliseconds,
                                   GCancellable  *cancellable,
                                   GError       **error);
gboolean  ttd_wait_for_network    (GCancellable  *cancellable,
                                   GError       **error);
gboolean  ttd_wait_rate_limited   (guint          attempt,
                                   GCancellable  *cancellable,
                                   GError       **error);
guint     ttd_backoff_ms          (guint          attempt);
gint64    ttd_rate_window_wait    (const gint64  *times,
                                   guint          n_times,
                                   gint64         now,
                                   guint          limit,
                                   gint64         window);

guint          ttd_retry_delay_seconds     (TtdWaitReason  reason,
                                            guint          attempt);
const char    *ttd_wait_reason_to_string   (TtdWaitReason  reason);
TtdWaitReason  ttd_wait_reason_from_string (const char    *text);
char          *ttd_wait_format_time        (gint64         unix_time);
const char    *ttd_wait_advice             (TtdWaitReason  reason);
char          *ttd_wait_describe           (TtdWaitReason  reason,
                                            gint64         next_try_at);
void           ttd_wait_set_error          (GError       **error,
                                            TtdWaitReason  reason,
                                            gint64         next_try_at,
                                            const char    *log_id);
gint64         ttd_wait_error_get_next_try (const GError  *error);

void      ttd_pacer_init          (TtdPacer      *self,
                                   guint          limit,
                                   gint64         window);
void      ttd_pacer_clear         (TtdPacer      *self);
gboolean  ttd_pacer_wait          (TtdPacer      *self,
                                   GCancellable  *cancellable,
                                   GError       **error);

G_END_DECLS
