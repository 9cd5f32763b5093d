/* fuzz-content-range.c — ttd_video_upload_parse_received(): the progress
 * TikTok states in its answer to a chunk, `Content-Range: bytes 0-LAST/TOTAL`.
 *
 * Input: text, "<video_size>\n<Content-Range value>", so the seeds read
 * like the header. Whatever the numbers, the answer is "unknown" (-1), a
 * byte count within the video, or a protocol error: never an overflow.
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fuzz-common.h"

#include "ttd-error.h"
#include "ttd-video-upload.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GError) error = NULL;
  gint64 video_size;
  gint64 received = G_MININT64;
  char *value = NULL;

  fuzz_init_once ();

  text = fuzz_strndup (data, size);
  video_size = g_ascii_strtoll (text, &value, 10);
  if (*value == '\n')
    value++;
  /* The chunk planner refuses anything else before an upload starts. */
  video_size = CLAMP (video_size, 1, TTD_VIDEO_SIZE_MAX);
  /* libsoup never hands over a header value with a line break in it. */
  if (strpbrk (value, "\r\n") != NULL)
    return 0;

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_append (headers, "Content-Range", value);

  if (ttd_video_upload_parse_received (headers, video_size, &received, &error))
    {
      FUZZ_CHECK (error == NULL);
      FUZZ_CHECK (received == -1 || (received >= 1 && received <= video_size));
    }
  else
    {
      FUZZ_CHECK (g_error_matches (error, TTD_ERROR, TTD_ERROR_PROTOCOL));
      FUZZ_CHECK (received == -1);
    }

  return 0;
}
