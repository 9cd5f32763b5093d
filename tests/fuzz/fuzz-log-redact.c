/* fuzz-log-redact.c — the redaction every log message goes through:
 * ttd_log_redact.
 *
 * Input: the message text.
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fuzz-common.h"

#include "ttd-log.h"

/* Secrets the process "has seen"; the seeds embed them in log lines. */
static const char * const secrets[] = {
  "act.1a2b3c4d5e6f7g8h9i0jKLMNOPQRSTUV",
  "rft.ZYXWVUTSRQ9876543210abcdefghijkl",
  "hunter2-photo-host-password",
  "https://open-upload.tiktokapis.com/video/?upload_id=67890&upload_token=Yzb456",
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gboolean registered;
  g_autofree char *text = NULL;
  g_autofree char *redacted = NULL;

  fuzz_init_once ();
  if (!registered)
    {
      for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
        ttd_log_add_secret (secrets[i]);
      registered = TRUE;
    }

  text = fuzz_strndup (data, size);
  redacted = ttd_log_redact (text);

  /* Every message comes out, and no registered secret survives in it. */
  FUZZ_CHECK (redacted != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    FUZZ_CHECK (strstr (redacted, secrets[i]) == NULL);

  return 0;
}
