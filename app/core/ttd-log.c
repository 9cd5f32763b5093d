/* ttd-log.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ttd-error.h"
#include "ttd-log.h"
#include "ttd-secure.h"

/* Every message passes through ttd_log_writer(), so no call site has to
 * remember to redact. Two nets: the exact secrets this process has seen
 * (registered as they arrive) and patterns for anything token-shaped. */

#define MAX_SECRETS 64

static GMutex secrets_lock;
static GPtrArray *secrets;
static GRegex *field_regex;
static GRegex *bearer_regex;
static GRegex *token_regex;
static GRegex *userinfo_regex;

static void
ensure_regexes (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      /* JSON members and form/query fields, also URL-encoded (a URL
       * inside a query) or separated by tabs; `code` and `state` only as
       * fields, since TikTok's JSON uses "code" for its error codes. */
      field_regex = g_regex_new ("(?i)((?:(?:access_token|refresh_token|code_verifier|client_secret"
                                 "|upload_token|token|password|secret)"
                                 "(?:(?:[\"']|%22)?(?:\\s|%20)*(?:[:=]|%3A|%3D)(?:\\s|%20)*(?:[\"']|%22)?|\t+))"
                                 "|(?:\\b(?:code|state)(?:=|%3D)))[^&\"'\\s,;}]+",
                                 G_REGEX_OPTIMIZE, 0, NULL);
      bearer_regex = g_regex_new ("(?i)(bearer|basic)(?:\\s|%20|\\+)+[^\\s\"',&]+", G_REGEX_OPTIMIZE, 0, NULL);
      token_regex = g_regex_new ("\\b(act|rft)\\.[A-Za-z0-9._~*!%-]+", G_REGEX_OPTIMIZE, 0, NULL);
      /* user:password@ (or a token as the user name) in any URL */
      userinfo_regex = g_regex_new ("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@?#\"'<>]+@", G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&initialized, 1);
    }
}

/**
 * ttd_log_add_secret:
 *
 * Remembers a secret (token, code, verifier, password) so that any later
 * log message containing it is redacted. Short values are ignored: they
 * would redact ordinary words and carry little.
 */
void
ttd_log_add_secret (const char *secret)
{
  if (secret == NULL || strlen (secret) < 8)
    return;

  g_mutex_lock (&secrets_lock);

  if (secrets == NULL)
    secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) ttd_secure_free);

  if (secrets->len >= MAX_SECRETS)
    g_ptr_array_remove_index (secrets, 0);

  g_ptr_array_add (secrets, g_strdup (secret));

  g_mutex_unlock (&secrets_lock);
}

static char *
replace_all (const char *text,
             const char *needle)
{
  g_auto(GStrv) parts = g_strsplit (text, needle, -1);

  return g_strjoinv ("[redacted]", parts);
}

char *
ttd_log_redact (const char *text)
{
  g_autofree char *work = NULL;
  g_autofree char *step1 = NULL;
  g_autofree char *step2 = NULL;
  g_autofree char *step3 = NULL;

  if (text == NULL)
    return NULL;

  ensure_regexes ();

  /* Log text can carry anything (file names, server answers): it reaches
   * the terminal without escape sequences, and GRegex only sees valid
   * UTF-8 (its JIT crashes otherwise). */
  work = ttd_text_clean (text, -1, TRUE);

  g_mutex_lock (&secrets_lock);
  for (guint i = 0; secrets != NULL && i < secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (secrets, i);

      if (strstr (work, secret) != NULL)
        {
          char *replaced = replace_all (work, secret);

          g_free (work);
          work = replaced;
        }
    }
  g_mutex_unlock (&secrets_lock);

  step1 = g_regex_replace (field_regex, work, -1, 0, "\\1[redacted]", 0, NULL);
  step2 = g_regex_replace (bearer_regex, step1 ? step1 : work, -1, 0, "\\1 [redacted]", 0, NULL);
  step3 = g_regex_replace (userinfo_regex, step2 ? step2 : work, -1, 0, "\\1[redacted]@", 0, NULL);

  return g_regex_replace (token_regex, step3 ? step3 : work, -1, 0, "\\1.[redacted]", 0, NULL);
}

static GLogWriterOutput
ttd_log_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_autofree GLogField *copy = g_memdup2 (fields, sizeof (GLogField) * n_fields);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (copy[i].key, "MESSAGE") && copy[i].length < 0)
        {
          char *redacted = ttd_log_redact (copy[i].value);

          g_ptr_array_add (owned, redacted);
          copy[i].value = redacted;
        }
    }

  return g_log_writer_default (log_level, copy, n_fields, user_data);
}

/**
 * ttd_log_init:
 *
 * Installs the redacting writer and sends every message to stderr, so
 * stdout carries only a command's result, even with G_MESSAGES_DEBUG=all.
 */
void
ttd_log_init (void)
{
  ensure_regexes ();
  g_log_writer_default_set_use_stderr (TRUE);
  g_log_set_writer_func (ttd_log_writer, NULL, NULL);
}
