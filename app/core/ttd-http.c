/* ttd-http.c — every HTTP request the core makes starts here
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-config.h"
#include "ttd-error.h"
#include "ttd-http.h"

#define READ_BLOCK 16384

/**
 * ttd_http_message_new:
 * @what: the setting or source of @url, for the message (“TikTok API address”)
 *
 * Makes a request that cannot leak: @url must pass ttd_check_base_uri()
 * (https, or plain http only on this computer), checked before anything
 * is sent, and redirects are never followed — neither TikTok's API nor
 * its upload addresses redirect, and a redirect would carry the request's
 * headers and body to an address nobody checked.
 *
 * Returns: (transfer full): the message, or %NULL with a sentence in @error.
 */
SoupMessage *
ttd_http_message_new (const char  *what,
                      const char  *method,
                      const char  *url,
                      GError     **error)
{
  SoupMessage *message;

  if (!ttd_check_base_uri (what, url, error))
    return NULL;

  message = soup_message_new (method, url);
  if (message == NULL)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                   _("The %s “%s” is not a valid web address."), what, url);
      return NULL;
    }

  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);

  return message;
}

/**
 * ttd_http_send_and_read:
 * @message: from ttd_http_message_new()
 * @what: as given to ttd_http_message_new()
 * @max_size: the most bytes of the answer to read
 *
 * Sends @message and reads its answer, never more than @max_size bytes.
 *
 * Returns: (transfer full): the answer's body; %NULL with a %TTD_ERROR
 *   sentence for a redirect or an answer too large, or with libsoup's or
 *   GIO's error when the network failed.
 */
GBytes *
ttd_http_send_and_read (SoupSession   *session,
                        SoupMessage   *message,
                        const char    *what,
                        gsize          max_size,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) body = g_byte_array_new ();
  guint status;

  stream = soup_session_send (session, message, cancellable, error);
  if (stream == NULL)
    return NULL;

  status = soup_message_get_status (message);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_input_stream_close (stream, NULL, NULL);
      g_set_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL,
                   _("The %s redirects elsewhere (HTTP %u), and TikTok Drafts does not follow redirects. Set it to where the server actually answers."),
                   what, status);
      return NULL;
    }

  for (;;)
    {
      guint8 block[READ_BLOCK];
      gsize read = 0;

      if (!g_input_stream_read_all (stream, block, MIN (sizeof block, max_size + 1 - body->len),
                                    &read, cancellable, error))
        return NULL;
      if (read == 0)
        break;

      g_byte_array_append (body, block, read);
      if (body->len > max_size)
        {
          g_autofree char *limit = g_format_size (max_size);

          g_input_stream_close (stream, NULL, NULL);
          g_set_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL,
                       /* Translators: the second %s is a size such as “1.0 MB” */
                       _("The answer from the %s was larger than %s, which TikTok Drafts does not read."),
                       what, limit);
          return NULL;
        }
    }

  if (!g_input_stream_close (stream, cancellable, error))
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&body));
}
