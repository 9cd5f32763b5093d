/* test-content-range.c — what the video upload reads from TikTok's answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ttd-core.h"

#define VIDEO_SIZE ((gint64) 80000007)

static gboolean
parse (const char  *content_range,
       gint64       video_size,
       gint64      *received,
       GError     **error)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

  if (content_range != NULL)
    soup_message_headers_append (headers, "Content-Range", content_range);

  *received = G_MININT64;
  return ttd_video_upload_parse_received (headers, video_size, received, error);
}

/* TikTok's progress, `bytes 0-LAST/TOTAL`: LAST + 1 bytes are there. */
static void
test_received_good (void)
{
  static const struct { const char *range; gint64 received; } cases[] = {
    { "bytes 0-0/80000007", 1 },
    { "bytes 0-19999999/80000007", 20000000 },
    { "bytes 0-80000006/80000007", VIDEO_SIZE },
    { "bytes 0-19999999/*", 20000000 },
    { "bytes 20000000-39999999/80000007", 40000000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 received;

      g_test_message ("%s", cases[i].range);
      g_assert_true (parse (cases[i].range, VIDEO_SIZE, &received, &error));
      g_assert_no_error (error);
      g_assert_cmpint (received, ==, cases[i].received);
    }
}

/* No header, or one that is not a byte range: TikTok did not say (-1),
 * which is no error; the upload starts again. */
static void
test_received_unknown (void)
{
  static const char * const cases[] = {
    NULL, "", "bytes */80000007", "bytes", "bytes x-y/z", "items 0-9/10",
    "bytes 0-9", "bytes 0-9/10 extra", "bytes -5/80000007",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 received;

      g_test_message ("%s", cases[i] ? cases[i] : "(none)");
      g_assert_true (parse (cases[i], VIDEO_SIZE, &received, &error));
      g_assert_no_error (error);
      g_assert_cmpint (received, ==, -1);
    }
}

/* A range outside the video is a protocol error, never arithmetic on it:
 * `bytes 0-9223372036854775807` made LAST + 1 overflow. */
static void
test_received_out_of_range (void)
{
  static const char * const cases[] = {
    "bytes 0-9223372036854775807/80000007",
    "bytes 0-9223372036854775807/9223372036854775807",
    "bytes 0-9223372036854775806/80000007",
    "bytes 0-18446744073709551615/80000007",
    "bytes 0-18446744073709551616/80000007",
    "bytes 0-99999999999999999999999999/80000007",
    "bytes 9223372036854775807-9223372036854775807/80000007",
    "bytes 0--5/80000007",
    "bytes 0--9223372036854775808/80000007",
    "bytes 0-80000007/80000007",
    "bytes 0-80000007/*",
    "bytes 10-9/80000007",
    "bytes 0-9999/10000",
    "bytes 0-9999/-80000007",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 received;

      g_test_message ("%s", cases[i]);
      g_assert_false (parse (cases[i], VIDEO_SIZE, &received, &error));
      g_assert_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL);
      g_assert_nonnull (strstr (error->message, "does not exist"));
      g_assert_cmpint (received, ==, -1);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ttd/video-upload/received/good", test_received_good);
  g_test_add_func ("/ttd/video-upload/received/unknown", test_received_unknown);
  g_test_add_func ("/ttd/video-upload/received/out-of-range", test_received_out_of_range);

  return g_test_run ();
}
