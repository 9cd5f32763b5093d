/* ttd-error.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "ttd-error.h"

#define LOG_ID_PREFIX " (TikTok log ID: "

G_DEFINE_QUARK (ttd-error-quark, ttd_error)

/**
 * ttd_set_tiktok_error:
 *
 * Like g_set_error(), but appends TikTok's log ID in a fixed form that
 * ttd_error_dup_log_id() can read back.
 */
void
ttd_set_tiktok_error (GError     **error,
                      TtdError     code,
                      const char  *log_id,
                      const char  *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (log_id != NULL && *log_id != '\0')
    g_set_error (error, TTD_ERROR, code, "%s" LOG_ID_PREFIX "%s)", message, log_id);
  else
    g_set_error_literal (error, TTD_ERROR, code, message);
}

char *
ttd_error_dup_log_id (const GError *error)
{
  const char *start;
  const char *end;

  if (error == NULL || error->message == NULL)
    return NULL;

  start = g_strrstr (error->message, LOG_ID_PREFIX);
  if (start == NULL)
    return NULL;
  start += strlen (LOG_ID_PREFIX);
  end = strchr (start, ')');
  if (end == NULL)
    return NULL;

  return g_strndup (start, end - start);
}

static gboolean
is_control (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
         /* bidirectional embeddings, overrides and isolates reorder what
          * follows them on screen */
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/**
 * ttd_text_clean:
 * @text: (nullable): text a server (or a file) sent
 * @length: its length in bytes, or -1 if it is nul-terminated
 * @multiline: whether line feeds and tabs stay, as in a log message
 *
 * Makes text from outside safe to show in a terminal or a window: valid
 * UTF-8, without C0 and C1 control characters (which include the
 * terminal's escape sequences) or bidirectional overrides. Carriage
 * returns and (unless @multiline) line feeds and tabs become spaces; the
 * other control characters are dropped.
 *
 * Returns: (transfer full) (nullable): the clean text.
 */
char *
ttd_text_clean (const char *text,
                gssize      length,
                gboolean    multiline)
{
  g_autofree char *valid = NULL;
  GString *clean;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, length);
  clean = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c == '\n' || c == '\t') && multiline)
        g_string_append_unichar (clean, c);
      else if (c == '\t' || c == '\r' || c == '\n')
        g_string_append_c (clean, ' ');
      else if (!is_control (c))
        g_string_append_unichar (clean, c);
    }

  return g_string_free (clean, FALSE);
}

/* Errors worth retrying the same request for, after a pause. */
gboolean
ttd_error_is_transient (const GError *error)
{
  if (error == NULL)
    return FALSE;

  if (error->domain == TTD_ERROR)
    return error->code == TTD_ERROR_NETWORK ||
           error->code == TTD_ERROR_SERVER ||
           error->code == TTD_ERROR_RATE_LIMITED;

  if (error->domain == G_IO_ERROR)
    return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  return FALSE;
}

typedef struct
{
  const char *code;
  TtdError    error;
  const char *sentence;
} TikTokCode;

/* The API's error.code values (tiktok-api.md §4) and OAuth's `error` values
 * (§2.10), each with what the user should do about it. */
static const TikTokCode tiktok_codes[] = {
  { "access_token_invalid", TTD_ERROR_TOKEN_INVALID,
    N_("Your TikTok sign-in has expired. Sign in again.") },
  { "scope_not_authorized", TTD_ERROR_SCOPE,
    N_("TikTok Drafts does not have permission to upload to this account. Sign in again and allow uploading videos.") },
  { "scope_permission_missed", TTD_ERROR_SCOPE,
    N_("TikTok Drafts asked for account details it has no permission for. Sign in again and allow the requested access.") },
  { "invalid_file_upload", TTD_ERROR_INVALID_FILE,
    N_("TikTok did not accept the uploaded file. Check that it is a video TikTok supports and try again.") },
  { "rate_limit_exceeded", TTD_ERROR_RATE_LIMITED,
    N_("TikTok is limiting how often drafts can be sent. Wait a minute and try again.") },
  { "internal_error", TTD_ERROR_SERVER,
    N_("TikTok had a temporary problem. Try again in a moment.") },
  { "spam_risk_too_many_pending_share", TTD_ERROR_PENDING_LIMIT,
    N_("TikTok allows at most 5 drafts waiting in your inbox. Open the TikTok app, post or delete some of them, then try again.") },
  { "spam_risk_too_many_posts", TTD_ERROR_REFUSED,
    N_("You have reached TikTok's daily limit for posts sent from apps. Try again tomorrow.") },
  { "spam_risk_user_banned_from_posting", TTD_ERROR_REFUSED,
    N_("TikTok does not allow this account to post at the moment. Check your account in the TikTok app.") },
  { "spam_risk_text", TTD_ERROR_REFUSED,
    N_("TikTok judged the title or description to be spam. Change the text and try again.") },
  { "spam_risk", TTD_ERROR_REFUSED,
    N_("TikTok refused the request as risky. Try again later or post from the TikTok app.") },
  { "reached_active_user_cap", TTD_ERROR_REFUSED,
    N_("This TikTok developer app has reached its daily limit of users. Try again tomorrow.") },
  { "unaudited_client_can_only_post_to_private_accounts", TTD_ERROR_REFUSED,
    N_("TikTok refused the post because this developer app is not audited for public posting.") },
  { "url_ownership_unverified", TTD_ERROR_REFUSED,
    N_("TikTok refused the photo links because their web address is not verified for this TikTok app. Verify the photo host's domain or URL prefix in the TikTok developer portal.") },
  { "privacy_level_option_mismatch", TTD_ERROR_INVALID_PARAMS,
    N_("TikTok rejected the privacy setting of the post.") },
  { "app_version_check_failed", TTD_ERROR_REFUSED,
    N_("Photo drafts need TikTok 31.8 or newer on your phone. Update the TikTok app and try again.") },
  { "invalid_publish_id", TTD_ERROR_INVALID_PARAMS,
    N_("TikTok does not know this upload. Check the publish ID.") },
  { "token_not_authorized_for_specified_publish_id", TTD_ERROR_INVALID_PARAMS,
    N_("This upload belongs to another TikTok account or app. Sign in with the account that sent it.") },
  { "publish_not_cancellable", TTD_ERROR_INVALID_PARAMS,
    N_("This upload can no longer be cancelled.") },
  /* OAuth (flat error shape) */
  { "invalid_grant", TTD_ERROR_SIGN_IN_REQUIRED,
    N_("Your TikTok sign-in is no longer valid. Sign in again.") },
  { "invalid_client", TTD_ERROR_CONFIG,
    N_("TikTok did not accept the app's client key or client secret. Check them in the settings.") },
  { "unauthorized_client", TTD_ERROR_CONFIG,
    N_("This TikTok developer app is not allowed to sign users in this way. Check its Login Kit settings in the TikTok developer portal.") },
  { "access_denied", TTD_ERROR_AUTH_DENIED,
    N_("Sign-in was declined in the browser, so nothing changed. Sign in again when you are ready.") },
  { "invalid_scope", TTD_ERROR_SCOPE,
    N_("TikTok did not grant the permissions TikTok Drafts needs. Add Login Kit and the Content Posting API to the developer app and sign in again.") },
  { "unsupported_grant_type", TTD_ERROR_PROTOCOL,
    N_("TikTok did not understand the sign-in request.") },
  { "unsupported_response_type", TTD_ERROR_PROTOCOL,
    N_("TikTok did not understand the sign-in request.") },
  { "server_error", TTD_ERROR_SERVER,
    N_("TikTok's sign-in service had a problem. Try again in a moment.") },
  { "temporarily_unavailable", TTD_ERROR_SERVER,
    N_("TikTok's sign-in service is temporarily unavailable. Try again in a moment.") },
};

static const TikTokCode *
find_code (const char *code)
{
  if (code == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (tiktok_codes); i++)
    if (g_str_equal (tiktok_codes[i].code, code))
      return &tiktok_codes[i];

  return NULL;
}

TtdError
ttd_error_code_for_tiktok (const char *tiktok_code)
{
  const TikTokCode *entry = find_code (tiktok_code);

  if (entry != NULL)
    return entry->error;

  /* The Content Posting tables spell it `invalid_param`; responses use
   * `invalid_params`. Match both (tiktok-api.md §4.1). */
  if (g_strcmp0 (tiktok_code, "invalid_params") == 0 ||
      g_strcmp0 (tiktok_code, "invalid_param") == 0 ||
      g_strcmp0 (tiktok_code, "invalid_request") == 0)
    return TTD_ERROR_INVALID_PARAMS;

  return TTD_ERROR_FAILED;
}

/**
 * ttd_error_describe_tiktok:
 * @tiktok_code: TikTok's error code
 * @tiktok_message: (nullable): TikTok's own message or description
 *
 * Returns: (transfer full): a plain sentence for the user.
 */
char *
ttd_error_describe_tiktok (const char *tiktok_code,
                           const char *tiktok_message)
{
  const TikTokCode *entry = find_code (tiktok_code);
  gboolean has_message = tiktok_message != NULL && *tiktok_message != '\0';

  if (entry != NULL)
    return g_strdup (_(entry->sentence));

  if (ttd_error_code_for_tiktok (tiktok_code) == TTD_ERROR_INVALID_PARAMS)
    {
      if (has_message)
        return g_strdup_printf (_("TikTok rejected the request: %s"), tiktok_message);
      return g_strdup (_("TikTok rejected the request as malformed."));
    }

  if (has_message)
    return g_strdup_printf (_("TikTok refused the request (%s): %s"), tiktok_code, tiktok_message);

  return g_strdup_printf (_("TikTok refused the request (%s)."), tiktok_code ? tiktok_code : "unknown");
}

typedef struct
{
  const char *reason;
  const char *sentence;
} FailReason;

static const FailReason fail_reasons[] = {
  { "file_format_check_failed",
    N_("TikTok could not use the file's format. Videos must be MP4, MOV or WebM (H.264, H.265, VP8 or VP9); photos must be JPEG or WebP.") },
  { "duration_check_failed",
    N_("TikTok refused the video's length. Videos sent from apps can be at most 10 minutes long.") },
  { "frame_rate_check_failed",
    N_("TikTok refused the video's frame rate. Use a video between 23 and 60 frames per second.") },
  { "picture_size_check_failed",
    N_("TikTok refused the picture size. Videos need 360 to 4096 pixels on each side; photos at most 1080p.") },
  { "internal",
    N_("TikTok had an internal problem processing the draft. Send it again.") },
  { "video_pull_failed",
    N_("TikTok could not download the video. Check that the host is reachable and try again.") },
  { "photo_pull_failed",
    N_("TikTok could not download the photos from the photo host. Check that the host is reachable from the internet and serves the files without redirects, then try again.") },
  { "publish_cancelled",
    N_("The upload was cancelled.") },
  { "auth_removed",
    N_("TikTok Drafts' access to the account was removed during the upload. Sign in again.") },
  { "spam_risk_too_many_posts",
    N_("You have reached TikTok's daily limit for posts sent from apps. Try again tomorrow.") },
  { "spam_risk_user_banned_from_posting",
    N_("TikTok does not allow this account to post at the moment.") },
  { "spam_risk_text",
    N_("TikTok judged the title or description to be spam. Change the text and try again.") },
  { "spam_risk",
    N_("TikTok refused the draft as risky. Try again later or post from the TikTok app.") },
};

/**
 * ttd_error_describe_fail_reason:
 * @fail_reason: (nullable): `fail_reason` from a FAILED status
 *
 * Returns: (transfer full): a plain sentence.
 */
char *
ttd_error_describe_fail_reason (const char *fail_reason)
{
  for (guint i = 0; fail_reason != NULL && i < G_N_ELEMENTS (fail_reasons); i++)
    if (g_str_equal (fail_reasons[i].reason, fail_reason))
      return g_strdup (_(fail_reasons[i].sentence));

  if (fail_reason != NULL && *fail_reason != '\0')
    return g_strdup_printf (_("TikTok could not process the draft (%s)."), fail_reason);

  return g_strdup (_("TikTok could not process the draft and gave no reason."));
}
