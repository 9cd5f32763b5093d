/* ttd-pkce.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ttd-pkce.h"
#include "ttd-secure.h"

/* 48 random bytes give a 64-character base64url verifier: 384 bits, well
 * inside RFC 7636's 43–128 characters, all from the unreserved set. */
#define VERIFIER_BYTES 48

char *
ttd_pkce_new_verifier (GError **error)
{
  return ttd_random_token (VERIFIER_BYTES, error);
}

gboolean
ttd_pkce_verifier_is_valid (const char *verifier)
{
  gsize len;

  if (verifier == NULL)
    return FALSE;

  len = strlen (verifier);
  if (len < 43 || len > 128)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (verifier[i]) && strchr ("-._~", verifier[i]) == NULL)
      return FALSE;

  return TRUE;
}

char *
ttd_pkce_challenge (const char      *verifier,
                    TtdPkceEncoding  encoding)
{
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_return_val_if_fail (verifier != NULL, NULL);

  /* GLib already prints SHA-256 as lower-case hex: TikTok's desktop format. */
  if (encoding == TTD_PKCE_HEX)
    return g_compute_checksum_for_string (G_CHECKSUM_SHA256, verifier, -1);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &digest_len);

  return ttd_base64url_encode (digest, digest_len);
}
