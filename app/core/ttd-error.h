/* ttd-error.h
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TTD_ERROR (ttd_error_quark ())

/**
 * TtdError:
 *
 * One domain for everything the core reports. Every message is a plain
 * sentence that says what happened and what to do; when TikTok gave a
 * `log_id`, the message ends with it so support can trace the request.
 */
typedef enum
{
  TTD_ERROR_FAILED,
  TTD_ERROR_CONFIG,
  TTD_ERROR_NETWORK,
  TTD_ERROR_SIGN_IN_REQUIRED,
  TTD_ERROR_TOKEN_INVALID,
  TTD_ERROR_SCOPE,
  TTD_ERROR_INVALID_PARAMS,
  TTD_ERROR_RATE_LIMITED,
  TTD_ERROR_PENDING_LIMIT,
  TTD_ERROR_REFUSED,
  TTD_ERROR_SERVER,
  TTD_ERROR_UPLOAD_EXPIRED,
  TTD_ERROR_UPLOAD_RANGE,
  TTD_ERROR_INVALID_FILE,
  TTD_ERROR_PUBLISH_FAILED,
  TTD_ERROR_AUTH_DENIED,
  TTD_ERROR_TIMEOUT,
  TTD_ERROR_KEYRING,
  TTD_ERROR_PROTOCOL,
  TTD_ERROR_NO_SUCH_ACCOUNT,
  TTD_ERROR_DELIVERED,
} TtdError;

GQuark   ttd_error_quark             (void);
void     ttd_set_tiktok_error        (GError     **error,
                                      TtdError     code,
                                      const char  *log_id,
                                      const char  *format,
                                      ...) G_GNUC_PRINTF (4, 5);
char    *ttd_error_dup_log_id        (const GError *error);
gboolean ttd_error_is_transient      (const GError *error);
TtdError ttd_error_code_for_tiktok   (const char   *tiktok_code);
char    *ttd_error_describe_tiktok   (const char   *tiktok_code,
                                      const char   *tiktok_message);
char    *ttd_error_describe_fail_reason (const char *fail_reason);
char    *ttd_text_clean              (const char   *text,
                                      gssize        length,
                                      gboolean      multiline);

G_END_DECLS
