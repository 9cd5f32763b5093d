/* fuzz-api-envelope.c — the v2 `{data, error}` envelope and what is read
 * out of `data`: ttd_api_parse_envelope, ttd_api_parse_user_info,
 * ttd_api_parse_publish_status.
 *
 * Input: optional "NNN\n" HTTP status, then the response body.
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fuzz-common.h"

#include "ttd-api-client.h"
#include "ttd-error.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  fuzz_init_once ();

  body = fuzz_split_http (data, size, &status);
  object = ttd_api_parse_envelope (status, body, &error);

  /* Exactly one of result and error. */
  FUZZ_CHECK ((object == NULL) != (error == NULL));

  if (error != NULL)
    {
      g_autofree char *log_id = ttd_error_dup_log_id (error);

      /* The log ID read back from the sentence is never empty. */
      FUZZ_CHECK (log_id == NULL || strstr (error->message, log_id) != NULL);
      FUZZ_CHECK (error->message != NULL && *error->message != '\0');
      /* Success is never reported as an error, and vice versa. */
      FUZZ_CHECK (error->domain == TTD_ERROR);
      (void) ttd_error_is_transient (error);
      return 0;
    }

  /* Only a 2xx answer is a success. */
  FUZZ_CHECK (status >= 200 && status < 300);

  {
    g_autoptr(GError) user_error = NULL;
    g_autoptr(TtdUserInfo) info = ttd_api_parse_user_info (object, &user_error);

    FUZZ_CHECK ((info == NULL) != (user_error == NULL));
    if (info != NULL)
      {
        g_autoptr(TtdUserInfo) copy = ttd_user_info_copy (info);

        FUZZ_CHECK (info->open_id != NULL);
        FUZZ_CHECK (g_strcmp0 (copy->open_id, info->open_id) == 0);
        FUZZ_CHECK (g_strcmp0 (copy->display_name, info->display_name) == 0);
      }
  }

  {
    g_autoptr(GError) status_error = NULL;
    g_autoptr(TtdPublishStatus) st = ttd_api_parse_publish_status (object, &status_error);

    FUZZ_CHECK ((st == NULL) != (status_error == NULL));
    if (st != NULL)
      {
        g_autoptr(TtdPublishStatus) copy = ttd_publish_status_copy (st);
        g_autofree char *reason = ttd_error_describe_fail_reason (st->fail_reason);

        FUZZ_CHECK (st->status != NULL);
        FUZZ_CHECK (g_strcmp0 (copy->status, st->status) == 0);
        FUZZ_CHECK (copy->uploaded_bytes == st->uploaded_bytes);
        FUZZ_CHECK (reason != NULL && *reason != '\0');
        FUZZ_CHECK (ttd_publish_status_is_final (st) == ttd_publish_status_is_final (copy));
        /* The documented terminal states are final; processing is not. */
        if (g_str_equal (st->status, TTD_STATUS_FAILED) ||
            g_str_equal (st->status, TTD_STATUS_SEND_TO_USER_INBOX))
          FUZZ_CHECK (ttd_publish_status_is_final (st));
        if (g_str_equal (st->status, TTD_STATUS_PROCESSING_UPLOAD))
          FUZZ_CHECK (!ttd_publish_status_is_final (st));
      }
  }

  return 0;
}
