/* ttd-emulator-util.c — randomness, encodings, rate windows and one-shot faults
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <sys/random.h>

#include "ttd-emulator-private.h"

static void
fill_random (guint8 *buf,
             gsize   len)
{
  gsize off = 0;

  while (off < len)
    {
      gssize n = getrandom (buf + off, len - off, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_error ("getrandom: %s", g_strerror (errno));
        }
      off += (gsize) n;
    }
}

char *
emu_base64url_encode (const guint8 *data,
                      gsize         len)
{
  char *text = g_base64_encode (data, len);
  char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  return text;
}

char *
emu_random_b64url (gsize nbytes)
{
  g_autofree guint8 *buf = g_malloc (nbytes);

  fill_random (buf, nbytes);
  return emu_base64url_encode (buf, nbytes);
}

char *
emu_random_digits (guint n)
{
  g_autofree guint8 *buf = g_malloc (n);
  GString *s = g_string_sized_new (n);
  guint i;

  fill_random (buf, n);
  for (i = 0; i < n; i++)
    g_string_append_c (s, (char) ('0' + (i == 0 ? 1 + buf[i] % 9 : buf[i] % 10)));

  return g_string_free (s, FALSE);
}

char *
emu_random_uuid (void)
{
  guint8 b[16];

  fill_random (b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

char *
emu_make_log_id (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d%H%M%S");
  guint8 b[10];
  GString *s = g_string_new (stamp);
  guint i;

  fill_random (b, sizeof b);
  for (i = 0; i < sizeof b; i++)
    g_string_append_printf (s, "%02X", b[i]);

  return g_string_free (s, FALSE);
}

char *
emu_iso8601_from_us (gint64 real_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* Sliding one-minute window.  Returns TRUE when the limit is hit; only
 * admitted requests are recorded. */
gboolean
emu_rate_limited (GArray *times,
                  guint   limit)
{
  gint64 now = g_get_monotonic_time ();
  guint keep_from = 0;

  while (keep_from < times->len &&
         g_array_index (times, gint64, keep_from) <= now - RATE_WINDOW_US)
    keep_from++;
  if (keep_from > 0)
    g_array_remove_range (times, 0, keep_from);

  if (times->len >= limit)
    return TRUE;

  g_array_append_val (times, now);
  return FALSE;
}

gboolean
emu_take_fault (Emulator   *self,
                const char *name)
{
  guint i;

  for (i = 0; i < self->faults->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->faults, i), name))
        {
          g_ptr_array_remove_index (self->faults, i);
          return TRUE;
        }
    }

  return FALSE;
}
