/* ttd-http.h — every HTTP request the core makes starts here
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* TikTok's answers are a few hundred bytes. */
#define TTD_HTTP_MAX_ANSWER (1024 * 1024)

SoupMessage *ttd_http_message_new    (const char    *what,
                                      const char    *method,
                                      const char    *url,
                                      GError       **error);
GBytes      *ttd_http_send_and_read  (SoupSession   *session,
                                      SoupMessage   *message,
                                      const char    *what,
                                      gsize          max_size,
                                      GCancellable  *cancellable,
                                      GError       **error);

G_END_DECLS
