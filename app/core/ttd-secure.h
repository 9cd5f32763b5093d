/* ttd-secure.h — randomness for secrets, and wiping them
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  ttd_random_bytes       (guint8       *buffer,
                                  gsize         length,
                                  GError      **error);
char     *ttd_random_token       (gsize         n_bytes,
                                  GError      **error);
guint32   ttd_random_uint32      (void);
char     *ttd_base64url_encode   (const guint8 *data,
                                  gsize         length);
gboolean  ttd_secure_equal       (const char   *a,
                                  const char   *b);
void      ttd_secure_free        (char         *secret);

static inline void
ttd_secure_clear (char **secret)
{
  ttd_secure_free (*secret);
  *secret = NULL;
}

G_END_DECLS
