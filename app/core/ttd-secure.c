/* ttd-secure.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <glib/gi18n-lib.h>

#include "ttd-error.h"
#include "ttd-secure.h"

/**
 * ttd_random_bytes:
 *
 * Fills @buffer from the kernel's CSPRNG. GLib's own random numbers come from a
 * Mersenne Twister and must never make a secret (oauth-and-keyring.md §0.8).
 */
gboolean
ttd_random_bytes (guint8  *buffer,
                  gsize    length,
                  GError **error)
{
  gsize filled = 0;

  while (filled < length)
    {
      ssize_t n = getrandom (buffer + filled, length - filled, 0);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;

          g_set_error (error, TTD_ERROR, TTD_ERROR_FAILED,
                       _("The system could not provide random numbers: %s"),
                       g_strerror (saved_errno));
          return FALSE;
        }

      filled += n;
    }

  return TRUE;
}

/* base64url without padding (RFC 4648 §5), on top of GLib's base64. */
char *
ttd_base64url_encode (const guint8 *data,
                      gsize         length)
{
  char *encoded = g_base64_encode (data, length);
  gsize len = strlen (encoded);

  while (len > 0 && encoded[len - 1] == '=')
    encoded[--len] = '\0';

  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');

  return encoded;
}

/**
 * ttd_random_token:
 * @n_bytes: how many random bytes the token carries
 *
 * Returns: (transfer full): a base64url token, or %NULL on error.
 */
char *
ttd_random_token (gsize    n_bytes,
                  GError **error)
{
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  char *token;

  if (!ttd_random_bytes (bytes, n_bytes, error))
    return NULL;

  token = ttd_base64url_encode (bytes, n_bytes);
  explicit_bzero (bytes, n_bytes);

  return token;
}

/* For retry jitter; not a secret, but one source of randomness is simpler
 * than two. Falls back to the clock if the kernel refuses. */
guint32
ttd_random_uint32 (void)
{
  guint32 value = 0;

  if (!ttd_random_bytes ((guint8 *) &value, sizeof value, NULL))
    value = (guint32) g_get_monotonic_time ();

  return value;
}

/* Compares in time that depends only on the lengths, never on where the
 * strings first differ: for `state` and other values an attacker guesses. */
gboolean
ttd_secure_equal (const char *a,
                  const char *b)
{
  gsize len_a;
  gsize len_b;
  gsize diff;

  if (a == NULL || b == NULL)
    return FALSE;

  len_a = strlen (a);
  len_b = strlen (b);
  diff = len_a ^ len_b;

  for (gsize i = 0; i < len_a; i++)
    diff |= (guint8) a[i] ^ (guint8) (i < len_b ? b[i] : 0);

  return diff == 0 && len_a > 0;
}

void
ttd_secure_free (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}
