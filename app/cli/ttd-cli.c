/* ttd-cli.c — tiktok-drafts-cli: the command-line front end of the core
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "ttd-core.h"

/* Exit codes (also in --help). */
enum
{
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_SIGNED_OUT = 3,
  EXIT_PENDING = 4,
  EXIT_CANCELLED = 130,
};

typedef struct
{
  /* global options */
  gboolean      json;
  char         *client_key;
  char         *api_base;
  char         *auth_url;

  TtdConfig    *config;
  TtdAccount   *account;
  GCancellable *cancellable;
  GMainLoop    *loop;
  int           exit_code;
  gboolean      progress_is_tty;
  int           last_percent;

  /* Ctrl+C and SIGTERM, watched from a thread of their own */
  guint         n_interrupts;      /* only touched by that thread */
  gint          interrupt_handled; /* atomic: the main thread has cancelled */
} Cli;

typedef int (*CommandFunc) (Cli *cli, int argc, char **argv);

typedef struct
{
  const char  *name;
  CommandFunc  func;
  const char  *summary;
} Command;

static GOptionEntry global_entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the result as one JSON object on standard output"), NULL },
  { "client-key", 0, 0, G_OPTION_ARG_STRING, NULL, N_("TikTok app client key (default: $TIKTOK_DRAFTS_CLIENT_KEY)"), N_("KEY") },
  { "api-base", 0, 0, G_OPTION_ARG_STRING, NULL, N_("TikTok API base URL (default: $TIKTOK_DRAFTS_API_BASE or https://open.tiktokapis.com)"), N_("URL") },
  { "auth-url", 0, 0, G_OPTION_ARG_STRING, NULL, N_("TikTok authorize URL (default: $TIKTOK_DRAFTS_AUTH_URL)"), N_("URL") },
  { NULL }
};

static void
print_json_object (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_bool (JsonBuilder *builder,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static int
exit_code_for (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return EXIT_CANCELLED;
  if (g_error_matches (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED))
    return EXIT_SIGNED_OUT;
  return EXIT_FAILED;
}

/* Errors go to stderr as a sentence; with --json, stdout still gets one
 * object so scripts can parse every outcome. */
static int
fail (Cli          *cli,
      const GError *error)
{
  g_autofree char *log_id = ttd_error_dup_log_id (error);

  g_printerr ("%s\n", error->message);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_bool (builder, "ok", FALSE);
      add_string (builder, "error", error->message);
      if (log_id != NULL)
        add_string (builder, "log_id", log_id);
      json_builder_end_object (builder);
      print_json_object (builder);
    }

  return exit_code_for (error);
}

static int
fail_usage (Cli        *cli,
            const char *message)
{
  g_autoptr(GError) error = g_error_new_literal (TTD_ERROR, TTD_ERROR_CONFIG, message);

  fail (cli, error);
  return EXIT_USAGE;
}

static gboolean
parse_options (Cli           *cli,
               const char    *command,
               const char    *parameter,
               const char    *summary,
               GOptionEntry  *entries,
               int           *argc,
               char        ***argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("tiktok-drafts-cli %s", command);
  GOptionGroup *global = g_option_group_new ("global", _("Options for every command:"),
                                             _("Show options for every command"), NULL, NULL);
  GOptionEntry globals[G_N_ELEMENTS (global_entries)];

  memcpy (globals, global_entries, sizeof global_entries);
  globals[0].arg_data = &cli->json;
  globals[1].arg_data = &cli->client_key;
  globals[2].arg_data = &cli->api_base;
  globals[3].arg_data = &cli->auth_url;
  g_option_group_add_entries (global, globals);
  g_option_group_set_translation_domain (global, GETTEXT_PACKAGE);

  /* So that --help reads “tiktok-drafts-cli upload [OPTION…]”. */
  g_set_prgname (prgname);
  context = g_option_context_new (parameter);
  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, global);
  g_option_context_set_help_enabled (context, TRUE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s\n%s\n", error->message,
                  _("Run with --help to see the options."));
      cli->exit_code = EXIT_USAGE;
      return FALSE;
    }

  return TRUE;
}

/* Configuration, highest first: options, environment, keyring, defaults. */
static void
build_config (Cli *cli)
{
  cli->config = ttd_config_new ();
  ttd_config_set (&cli->config->client_key, g_getenv (TTD_ENV_CLIENT_KEY));
  ttd_config_set (&cli->config->client_key, cli->client_key);

  /* The app's Preferences keep the client secret in the keyring. */
  if (g_getenv (TTD_ENV_CLIENT_SECRET) == NULL && cli->config->client_key != NULL)
    {
      g_autofree char *secret = ttd_secret_lookup_client_secret (cli->config->client_key, NULL, NULL);

      ttd_config_set (&cli->config->client_secret, secret);
      if (secret != NULL)
        explicit_bzero (secret, strlen (secret));
    }

  ttd_config_apply_env (cli->config);
  ttd_config_set (&cli->config->client_key, cli->client_key);

  /* The photo host's password or token, if Preferences saved one. */
  if (cli->config->photo_password == NULL && cli->config->photo_upload_url != NULL &&
      g_strcmp0 (cli->config->photo_auth, "none") != 0 && cli->config->photo_auth != NULL)
    {
      g_autofree char *password = ttd_secret_lookup_password ("photo-host", cli->config->photo_upload_url,
                                                              NULL, NULL);

      ttd_config_set (&cli->config->photo_password, password);
      if (password != NULL)
        explicit_bzero (password, strlen (password));
    }
  ttd_config_set (&cli->config->api_base, cli->api_base);
  ttd_config_set (&cli->config->auth_url, cli->auth_url);
}

static gboolean
prepare_account (Cli      *cli,
                 gboolean  load_tokens,
                 GError  **error)
{
  g_autoptr(TtdTokenStore) store = NULL;

  build_config (cli);
  if (!ttd_config_validate (cli->config, error))
    return FALSE;

  store = ttd_secret_token_store_new ();
  cli->account = ttd_account_new (cli->config, store);

  if (load_tokens && !ttd_account_load (cli->account, cli->cancellable, error))
    return FALSE;

  return TRUE;
}

static gboolean
require_sign_in (Cli     *cli,
                 GError **error)
{
  if (ttd_account_is_signed_in (cli->account))
    return TRUE;

  g_set_error (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED,
               _("You are not signed in to TikTok. Run “tiktok-drafts-cli auth” first."));
  return FALSE;
}

static void
print_signed_in (Cli         *cli,
                 TtdUserInfo *info)
{
  g_autoptr(TtdTokens) tokens = ttd_account_dup_tokens (cli->account);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_bool (builder, "ok", TRUE);
      add_bool (builder, "signed_in", TRUE);
      add_string (builder, "open_id", tokens->open_id);
      add_string (builder, "display_name", info ? info->display_name : NULL);
      add_string (builder, "scope", tokens->scope);
      add_int (builder, "access_expires_at", tokens->access_expires_at);
      add_int (builder, "refresh_expires_at", tokens->refresh_expires_at);
      json_builder_end_object (builder);
      print_json_object (builder);
    }
  else if (info != NULL && info->display_name != NULL)
    g_print (_("Signed in to TikTok as %s.\n"), info->display_name);
  else
    g_print (_("Signed in to TikTok.\n"));
}

/* auth */

typedef struct
{
  Cli      *cli;
  char     *code;
  GError   *error;
} AuthWait;

static void
auth_wait_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AuthWait *wait = user_data;

  wait->code = ttd_auth_flow_wait_finish (TTD_AUTH_FLOW (object), result, &wait->error);
  g_main_loop_quit (wait->cli->loop);
}

static void
show_authorize_uri (Cli        *cli,
                    const char *uri,
                    gboolean    opened)
{
  if (opened)
    g_printerr (_("Your browser should now show TikTok's sign-in page. If it does not, open this address:\n"));
  else
    g_printerr (_("Open this address in a browser on this computer to sign in:\n"));

  /* The address is the one thing the user needs: on stdout, unless stdout
   * is reserved for the JSON result. */
  if (cli->json)
    g_printerr ("%s\n", uri);
  else
    {
      g_print ("%s\n", uri);
      fflush (stdout);
      if (!isatty (STDOUT_FILENO))
        g_printerr ("%s\n", uri);
    }
}

static int
cmd_auth (Cli    *cli,
          int     argc,
          char  **argv)
{
  gboolean no_browser = FALSE;
  g_autofree char *redirect_uri = NULL;
  int timeout = TTD_AUTH_TIMEOUT_SECONDS;
  GOptionEntry entries[] = {
    { "no-browser", 0, 0, G_OPTION_ARG_NONE, &no_browser, N_("Print the sign-in address instead of opening a browser (still waits for the browser to come back)"), NULL },
    { "redirect-uri", 0, 0, G_OPTION_ARG_STRING, &redirect_uri, N_("Use this registered redirect URI instead of the loopback listener, then finish with “token --code”"), N_("URI") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Give up waiting for the browser after this many seconds (default 600)"), N_("SECONDS") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdAuthFlow) flow = NULL;
  g_autofree char *pending = NULL;
  g_autoptr(TtdUserInfo) info = NULL;
  AuthWait wait = { cli, NULL, NULL };
  gboolean opened = FALSE;

  if (!parse_options (cli, "auth", NULL,
                      _("Signs in to TikTok in the browser. The result comes back to a listener on "
                        "127.0.0.1 and the tokens are kept in the system keyring."),
                      entries, &argc, &argv))
    return cli->exit_code;

  if (!prepare_account (cli, FALSE, &error))
    return fail (cli, error);

  if (redirect_uri != NULL)
    flow = ttd_auth_flow_new_manual (cli->config, redirect_uri, &error);
  else
    flow = ttd_auth_flow_new_loopback (cli->config, &error);
  if (flow == NULL)
    return fail (cli, error);

  /* Keep the verifier so “token --code” can finish if the browser cannot
   * reach the listener (or for a web redirect URI). */
  pending = ttd_auth_flow_dup_pending_json (flow);
  if (!ttd_token_store_save_pending (ttd_account_get_store (cli->account), pending,
                                     cli->cancellable, &error))
    return fail (cli, error);
  explicit_bzero (pending, strlen (pending));

  if (redirect_uri != NULL)
    {
      show_authorize_uri (cli, ttd_auth_flow_get_authorize_uri (flow), FALSE);
      g_printerr (_("After signing in, copy the code TikTok shows and run:\n"
                    "  tiktok-drafts-cli token --code -\n"
                    "and paste the code (reading it from standard input keeps it out of the process list).\n"));
      if (cli->json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          add_bool (builder, "ok", TRUE);
          add_string (builder, "authorize_url", ttd_auth_flow_get_authorize_uri (flow));
          add_string (builder, "redirect_uri", ttd_auth_flow_get_redirect_uri (flow));
          add_bool (builder, "signed_in", FALSE);
          json_builder_end_object (builder);
          print_json_object (builder);
        }
      return EXIT_OK;
    }

  if (!no_browser)
    {
      g_autoptr(GError) launch_error = NULL;

      opened = g_app_info_launch_default_for_uri (ttd_auth_flow_get_authorize_uri (flow), NULL,
                                                  &launch_error);
      if (!opened)
        g_debug ("Could not open a browser: %s", launch_error->message);
    }
  show_authorize_uri (cli, ttd_auth_flow_get_authorize_uri (flow), opened);
  g_printerr (_("Waiting for the browser to return (press Ctrl+C to cancel)…\n"));

  if (timeout > 0)
    ttd_auth_flow_set_timeout (flow, timeout);
  ttd_auth_flow_wait_async (flow, cli->cancellable, auth_wait_cb, &wait);
  g_main_loop_run (cli->loop);

  if (wait.code == NULL)
    return fail (cli, wait.error);

  if (!ttd_account_complete_sign_in (cli->account, wait.code,
                                     ttd_auth_flow_get_redirect_uri (flow),
                                     ttd_auth_flow_get_code_verifier (flow),
                                     cli->cancellable, &error))
    {
      ttd_secure_free (wait.code);
      return fail (cli, error);
    }
  ttd_secure_free (wait.code);

  ttd_token_store_save_pending (ttd_account_get_store (cli->account), NULL, NULL, NULL);

  info = ttd_account_fetch_user_info (cli->account, cli->cancellable, &error);
  if (info == NULL)
    g_printerr (_("Signed in, but the account details could not be read: %s\n"), error->message);

  print_signed_in (cli, info);
  return EXIT_OK;
}

/* token */

static char *
read_code_from_stdin (void)
{
  char buffer[4096];

  if (isatty (STDIN_FILENO))
    g_printerr (_("Paste the code from TikTok and press Enter: "));

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;

  g_strstrip (buffer);
  return g_strdup (buffer);
}

/* Accepts the bare code or the whole redirect address it came back on. */
static char *
extract_code (const char *input)
{
  const char *query = strchr (input, '?');
  g_autoptr(GHashTable) params = NULL;

  if (query == NULL || !g_str_has_prefix (input, "http"))
    return g_uri_unescape_string (input, NULL);

  params = soup_form_decode (query + 1);
  return g_strdup (g_hash_table_lookup (params, "code"));
}

static int
cmd_token (Cli    *cli,
           int     argc,
           char  **argv)
{
  g_autofree char *code_arg = NULL;
  GOptionEntry entries[] = {
    { "code", 0, 0, G_OPTION_ARG_STRING, &code_arg, N_("The code TikTok showed after sign-in, or “-” to read it from standard input"), N_("CODE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdAuthFlow) flow = NULL;
  g_autoptr(TtdUserInfo) info = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *input = NULL;
  g_autofree char *code = NULL;

  if (!parse_options (cli, "token", NULL,
                      _("Finishes a sign-in by hand with the code TikTok returned, using the "
                        "verifier kept from the last “auth”."),
                      entries, &argc, &argv))
    return cli->exit_code;

  if (code_arg == NULL)
    return fail_usage (cli, _("Give the code with --code CODE (or --code - to read it from standard input)."));

  input = g_str_equal (code_arg, "-") ? read_code_from_stdin () : g_strdup (code_arg);
  explicit_bzero (code_arg, strlen (code_arg));
  code = input ? extract_code (input) : NULL;
  if (code == NULL || *code == '\0')
    return fail_usage (cli, _("The code is empty."));
  ttd_log_add_secret (code);

  if (!prepare_account (cli, FALSE, &error))
    return fail (cli, error);

  pending = ttd_token_store_load_pending (ttd_account_get_store (cli->account), cli->cancellable, &error);
  if (error != NULL)
    return fail (cli, error);

  flow = ttd_auth_flow_new_from_pending (pending, &error);
  if (flow == NULL)
    return fail (cli, error);

  if (!ttd_account_complete_sign_in (cli->account, code, ttd_auth_flow_get_redirect_uri (flow),
                                     ttd_auth_flow_get_code_verifier (flow),
                                     cli->cancellable, &error))
    return fail (cli, error);

  ttd_token_store_save_pending (ttd_account_get_store (cli->account), NULL, NULL, NULL);
  explicit_bzero (code, strlen (code));

  info = ttd_account_fetch_user_info (cli->account, cli->cancellable, NULL);
  print_signed_in (cli, info);
  return EXIT_OK;
}

/* refresh */

static int
cmd_refresh (Cli    *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdTokens) tokens = NULL;

  if (!parse_options (cli, "refresh", NULL,
                      _("Exchanges the refresh token for a new token pair now and keeps it in the keyring."),
                      NULL, &argc, &argv))
    return cli->exit_code;

  if (!prepare_account (cli, TRUE, &error) ||
      !require_sign_in (cli, &error) ||
      !ttd_account_refresh (cli->account, cli->cancellable, &error))
    return fail (cli, error);

  tokens = ttd_account_dup_tokens (cli->account);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_bool (builder, "ok", TRUE);
      add_bool (builder, "refreshed", TRUE);
      add_string (builder, "open_id", tokens->open_id);
      add_int (builder, "access_expires_at", tokens->access_expires_at);
      add_int (builder, "refresh_expires_at", tokens->refresh_expires_at);
      json_builder_end_object (builder);
      print_json_object (builder);
    }
  else
    {
      g_autoptr(GDateTime) expiry = g_date_time_new_from_unix_local (tokens->access_expires_at);
      g_autofree char *when = g_date_time_format (expiry, "%c");

      g_print (_("Sign-in refreshed; valid until %s.\n"), when);
    }

  return EXIT_OK;
}

/* upload and status */

static void
print_progress (const TtdUploadProgress *progress,
                gpointer                 user_data)
{
  Cli *cli = user_data;
  int percent;

  switch (progress->phase)
    {
    case TTD_UPLOAD_PHASE_SENDING:
      if (progress->bytes_total <= 0)
        return;
      percent = (int) (progress->bytes_sent * 100 / progress->bytes_total);
      if (cli->progress_is_tty)
        {
          g_autofree char *sent = g_format_size (progress->bytes_sent);
          g_autofree char *total = g_format_size (progress->bytes_total);

          g_printerr ("\r\033[K");
          g_printerr (_("Sending: %d%% (%s of %s)"), percent, sent, total);
        }
      else if (percent / 10 != cli->last_percent / 10 || cli->last_percent < 0)
        g_printerr (_("Sending: %d%%\n"), percent);
      cli->last_percent = percent;
      break;

    case TTD_UPLOAD_PHASE_PROCESSING:
      if (cli->progress_is_tty)
        g_printerr ("\r\033[K");
      if (progress->status != NULL)
        g_printerr (_("TikTok status: %s\n"), progress->status);
      else
        g_printerr (_("Sent. Waiting for TikTok to process the draft…\n"));
      break;

    case TTD_UPLOAD_PHASE_STARTING:
      g_printerr (_("Asking TikTok for an upload…\n"));
      break;

    case TTD_UPLOAD_PHASE_CHECKING:
    case TTD_UPLOAD_PHASE_DONE:
    default:
      break;
    }
}

static int
report_publish (Cli        *cli,
                const char *file,
                const char *publish_id,
                const char *status,
                const char *fail_reason,
                gboolean    waited)
{
  gboolean failed = g_strcmp0 (status, TTD_STATUS_FAILED) == 0;
  gboolean delivered = g_strcmp0 (status, TTD_STATUS_SEND_TO_USER_INBOX) == 0 ||
                       g_strcmp0 (status, TTD_STATUS_PUBLISH_COMPLETE) == 0;
  g_autofree char *message = NULL;
  int code;

  if (failed)
    {
      message = ttd_error_describe_fail_reason (fail_reason);
      code = EXIT_FAILED;
    }
  else if (delivered)
    {
      message = g_strdup (_("The draft is in your TikTok inbox. Open TikTok to finish the post."));
      code = EXIT_OK;
    }
  else if (waited)
    {
      message = g_strdup_printf (_("TikTok is still processing the draft. Check later with “tiktok-drafts-cli status --publish-id %s”."),
                                 publish_id);
      code = EXIT_PENDING;
    }
  else
    {
      message = g_strdup_printf (_("Sent. TikTok is processing it; check with “tiktok-drafts-cli status --publish-id %s”."),
                                 publish_id);
      code = EXIT_OK;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_bool (builder, "ok", code == EXIT_OK);
      if (file != NULL)
        add_string (builder, "file", file);
      add_string (builder, "publish_id", publish_id);
      add_string (builder, "status", status);
      if (fail_reason != NULL)
        add_string (builder, "fail_reason", fail_reason);
      add_string (builder, "message", message);
      json_builder_end_object (builder);
      print_json_object (builder);
      if (code != EXIT_OK)
        g_printerr ("%s\n", message);
    }
  else if (code == EXIT_OK)
    g_print ("%s\n%s: %s\n%s: %s\n", message, _("Publish ID"), publish_id, _("Status"), status ? status : "-");
  else
    {
      g_print ("%s: %s\n%s: %s\n", _("Publish ID"), publish_id, _("Status"), status ? status : "-");
      g_printerr ("%s\n", message);
    }

  return code;
}

typedef struct
{
  Cli             *cli;
  TtdUploadResult *result;
  GError          *error;
} UploadWait;

static void
upload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  UploadWait *wait = user_data;

  wait->result = ttd_send_queue_item_finish (TTD_ACCOUNT (object), result, &wait->error);
  g_main_loop_quit (wait->cli->loop);
}

static int
cmd_upload (Cli    *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *video = NULL;
  gboolean no_wait = FALSE;
  GOptionEntry entries[] = {
    { "video", 0, 0, G_OPTION_ARG_FILENAME, &video, N_("The video to send to your TikTok drafts (MP4, MOV or WebM)"), N_("PATH") },
    { "no-wait", 0, 0, G_OPTION_ARG_NONE, &no_wait, N_("Return once the video is sent, without waiting for TikTok to process it"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(TtdQueue) queue = NULL;
  g_autoptr(TtdQueueItem) item = NULL;
  UploadWait wait = { cli, NULL, NULL };
  int code;

  if (!parse_options (cli, "upload", NULL,
                      _("Sends a video to your TikTok inbox as a draft. Open TikTok to finish and post it."),
                      entries, &argc, &argv))
    return cli->exit_code;

  if (video == NULL)
    return fail_usage (cli, _("Give the video with --video PATH."));

  if (!prepare_account (cli, TRUE, &error) || !require_sign_in (cli, &error))
    return fail (cli, error);

  file = g_file_new_for_commandline_arg (video);
  cli->progress_is_tty = isatty (STDERR_FILENO);
  cli->last_percent = -1;

  /* Queued first, so an interruption loses nothing: the same unchanged
   * file sent again continues its upload instead of making a new draft. */
  queue = ttd_queue_new (NULL);
  item = ttd_queue_add_video (queue, file, &error);
  if (item == NULL)
    return fail (cli, error);
  if (item->publish_id != NULL)
    g_printerr (_("Continuing the interrupted upload of this file.\n"));

  ttd_send_queue_item_async (cli->account, queue, item->id,
                             no_wait ? TTD_UPLOAD_FLAGS_NONE : TTD_UPLOAD_FLAGS_WAIT,
                             print_progress, cli, NULL, cli->cancellable, upload_cb, &wait);
  g_main_loop_run (cli->loop);

  if (wait.result == NULL)
    {
      code = fail (cli, wait.error);
      g_error_free (wait.error);
      return code;
    }

  /* Without waiting, still report TikTok's own status string once. */
  if (no_wait)
    {
      g_autoptr(TtdPublishStatus) current = ttd_account_fetch_status (cli->account, wait.result->publish_id,
                                                                      cli->cancellable, NULL);

      if (current != NULL)
        {
          g_free (wait.result->status);
          wait.result->status = g_strdup (current->status);
          g_free (wait.result->fail_reason);
          wait.result->fail_reason = g_strdup (current->fail_reason);
        }
    }

  code = report_publish (cli, video, wait.result->publish_id, wait.result->status,
                         wait.result->fail_reason, !no_wait);
  ttd_upload_result_free (wait.result);

  return code;
}

static void
print_slideshow_progress (const TtdUploadProgress *progress,
                          gpointer                 user_data)
{
  Cli *cli = user_data;

  switch (progress->phase)
    {
    case TTD_UPLOAD_PHASE_CONVERTING:
      if (progress->bytes_total > 0)
        g_printerr (_("Converting photos: %d of %d\n"), (int) progress->bytes_sent, (int) progress->bytes_total);
      break;

    case TTD_UPLOAD_PHASE_HOSTING:
      if (progress->bytes_total > 0 && progress->bytes_sent == progress->bytes_total)
        g_printerr (_("Photos are on the photo host.\n"));
      break;

    default:
      print_progress (progress, cli);
      break;
    }
}

static int
cmd_slideshow (Cli    *cli,
               int     argc,
               char  **argv)
{
  g_auto(GStrv) image_args = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  int cover = 0;
  gboolean no_wait = FALSE;
  GOptionEntry entries[] = {
    { "images", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &image_args, N_("The photos, in order, separated by commas (or repeat the option); 1 to 35"), N_("A,B,…") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("Title, at most 90 characters"), N_("TITLE") },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, N_("Description, at most 4000 characters; hashtags allowed"), N_("TEXT") },
    { "cover", 0, 0, G_OPTION_ARG_INT, &cover, N_("Which photo is the cover, counting from 0 (default 0)"), N_("N") },
    { "no-wait", 0, 0, G_OPTION_ARG_NONE, &no_wait, N_("Return once TikTok accepted the slideshow, without waiting for it to fetch the photos"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdSlideshow) slideshow = ttd_slideshow_new ();
  g_autoptr(TtdUploadResult) result = NULL;
  g_autoptr(TtdQueue) queue = NULL;
  g_autoptr(TtdQueueItem) item = NULL;
  UploadWait wait = { cli, NULL, NULL };

  if (!parse_options (cli, "slideshow", NULL,
                      _("Sends photos to your TikTok inbox as one slideshow draft. The photos are "
                        "converted to JPEG and put on your photo host, where TikTok fetches them."),
                      entries, &argc, &argv))
    return cli->exit_code;

  if (image_args == NULL)
    return fail_usage (cli, _("Give the photos with --images A,B,…"));

  for (guint i = 0; image_args[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (image_args[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        if (*parts[j] != '\0')
          g_ptr_array_add (slideshow->images, g_file_new_for_commandline_arg (parts[j]));
    }

  if (cover < 0)
    return fail_usage (cli, _("The cover is counted from 0; it cannot be negative."));

  slideshow->title = g_steal_pointer (&title);
  slideshow->description = g_steal_pointer (&description);
  slideshow->cover_index = cover;

  /* Everything that can be checked here is checked before anything is
   * converted, hosted or sent. */
  if (!ttd_slideshow_check (slideshow, &error))
    {
      fail (cli, error);
      return EXIT_USAGE;
    }

  if (!prepare_account (cli, TRUE, &error) || !require_sign_in (cli, &error))
    return fail (cli, error);

  if (!ttd_photo_host_check (cli->config, &error))
    return fail (cli, error);

  cli->progress_is_tty = isatty (STDERR_FILENO);
  cli->last_percent = -1;

  queue = ttd_queue_new (NULL);
  item = ttd_queue_item_new (TTD_QUEUE_KIND_SLIDESHOW);
  item->paths = g_new0 (char *, slideshow->images->len + 1);
  for (guint i = 0; i < slideshow->images->len; i++)
    {
      GFile *image = g_ptr_array_index (slideshow->images, i);
      char *path = g_file_get_path (image);

      item->paths[i] = path ? path : g_file_get_uri (image);
    }
  item->title = g_strdup (slideshow->title);
  item->description = g_strdup (slideshow->description);
  item->cover_index = slideshow->cover_index;
  if (!ttd_queue_put (queue, item, &error))
    return fail (cli, error);

  ttd_send_queue_item_async (cli->account, queue, item->id,
                             no_wait ? TTD_UPLOAD_FLAGS_NONE : TTD_UPLOAD_FLAGS_WAIT,
                             print_slideshow_progress, cli, NULL, cli->cancellable,
                             upload_cb, &wait);
  g_main_loop_run (cli->loop);

  result = g_steal_pointer (&wait.result);
  if (result == NULL)
    {
      int code = fail (cli, wait.error);

      g_error_free (wait.error);
      return code;
    }

  if (no_wait)
    {
      g_autoptr(TtdPublishStatus) current = ttd_account_fetch_status (cli->account, result->publish_id,
                                                                      cli->cancellable, NULL);

      if (current != NULL)
        {
          g_free (result->status);
          result->status = g_strdup (current->status);
        }
    }

  return report_publish (cli, NULL, result->publish_id, result->status, result->fail_reason, !no_wait);
}

static int
cmd_status (Cli    *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *publish_id = NULL;
  gboolean wait = FALSE;
  GOptionEntry entries[] = {
    { "publish-id", 0, 0, G_OPTION_ARG_STRING, &publish_id, N_("The publish ID that “upload” printed"), N_("ID") },
    { "wait", 0, 0, G_OPTION_ARG_NONE, &wait, N_("Keep checking until TikTok has delivered the draft or failed"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdPublishStatus) status = NULL;

  if (!parse_options (cli, "status", NULL,
                      _("Shows TikTok's status for a draft. SEND_TO_USER_INBOX means it is waiting in your TikTok inbox."),
                      entries, &argc, &argv))
    return cli->exit_code;

  if (publish_id == NULL)
    return fail_usage (cli, _("Give the publish ID with --publish-id ID."));

  if (!prepare_account (cli, TRUE, &error) || !require_sign_in (cli, &error))
    return fail (cli, error);

  cli->progress_is_tty = isatty (STDERR_FILENO);
  if (wait)
    status = ttd_wait_for_publish (cli->account, publish_id, print_progress, cli,
                                   cli->cancellable, &error);
  else
    status = ttd_account_fetch_status (cli->account, publish_id, cli->cancellable, &error);

  if (status == NULL)
    return fail (cli, error);

  return report_publish (cli, NULL, publish_id, status->status, status->fail_reason, FALSE);
}

/* queue and resume */

static void
add_item_json (JsonBuilder        *builder,
               const TtdQueueItem *item)
{
  json_builder_begin_object (builder);
  add_string (builder, "id", item->id);
  add_string (builder, "kind", item->kind == TTD_QUEUE_KIND_VIDEO ? "video" : "slideshow");
  add_string (builder, "file", item->paths ? item->paths[0] : NULL);
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; item->paths != NULL && item->paths[i] != NULL; i++)
    json_builder_add_string_value (builder, item->paths[i]);
  json_builder_end_array (builder);
  add_string (builder, "state", ttd_queue_state_to_string (item->state));
  add_string (builder, "publish_id", item->publish_id);
  add_string (builder, "status", item->status);
  if (item->kind == TTD_QUEUE_KIND_VIDEO)
    {
      add_int (builder, "bytes_acknowledged", item->acknowledged);
      add_int (builder, "size", item->file_size);
    }
  else
    {
      add_string (builder, "title", item->title);
      add_int (builder, "cover_index", item->cover_index);
    }
  add_string (builder, "error", item->error);
  add_bool (builder, "being_sent", item->owner_pid != 0);
  json_builder_end_object (builder);
}

static int
cmd_queue (Cli    *cli,
           int     argc,
           char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = NULL;
  g_autoptr(GPtrArray) items = NULL;

  if (!parse_options (cli, "queue", NULL,
                      _("Lists what is queued and not yet in your TikTok inbox, with its state."),
                      NULL, &argc, &argv))
    return cli->exit_code;

  queue = ttd_queue_new (NULL);
  items = ttd_queue_list (queue, &error);
  if (items == NULL)
    return fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_bool (builder, "ok", TRUE);
      json_builder_set_member_name (builder, "items");
      json_builder_begin_array (builder);
      for (guint i = 0; i < items->len; i++)
        add_item_json (builder, g_ptr_array_index (items, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_json_object (builder);
      return EXIT_OK;
    }

  if (items->len == 0)
    g_print (_("Nothing is queued.\n"));

  for (guint i = 0; i < items->len; i++)
    {
      TtdQueueItem *item = g_ptr_array_index (items, i);
      g_autofree char *name = item->paths && item->paths[0] ? g_filename_display_basename (item->paths[0])
                                                            : g_strdup ("?");

      if (item->kind == TTD_QUEUE_KIND_SLIDESHOW)
        /* Translators: a line of “queue”: id, photo count, first file name, state */
        g_print (ngettext ("%s  slideshow of %u photo (%s…)  %s", "%s  slideshow of %u photos (%s…)  %s",
                           g_strv_length (item->paths)),
                 item->id, g_strv_length (item->paths), name,
                 ttd_queue_state_to_string (item->state));
      else if (item->file_size > 0)
        /* Translators: a line of “queue”: id, file name, state, percentage sent.
           PRId64 is a 64-bit integer: keep it as %<PRId64> in the translation. */
        g_print (_("%s  %s  %s, %" PRId64 "%% sent"), item->id, name,
                 ttd_queue_state_to_string (item->state), item->acknowledged * 100 / item->file_size);
      else
        g_print ("%s  %s  %s", item->id, name, ttd_queue_state_to_string (item->state));
      if (item->publish_id != NULL)
        g_print ("  %s", item->publish_id);
      g_print ("\n");
      if (item->error != NULL)
        g_print ("    %s\n", item->error);
    }

  return EXIT_OK;
}

static int
cmd_resume (Cli    *cli,
            int     argc,
            char  **argv)
{
  gboolean no_wait = FALSE;
  GOptionEntry entries[] = {
    { "no-wait", 0, 0, G_OPTION_ARG_NONE, &no_wait, N_("Do not wait for TikTok to process what was sent"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  int code = EXIT_OK;
  guint sent = 0;

  if (!parse_options (cli, "resume", NULL,
                      _("Continues everything that was interrupted: unfinished uploads go on from the last "
                        "chunk TikTok confirmed, and sent drafts are checked until they reach your inbox."),
                      entries, &argc, &argv))
    return cli->exit_code;

  if (!prepare_account (cli, TRUE, &error) || !require_sign_in (cli, &error))
    return fail (cli, error);

  queue = ttd_queue_new (NULL);
  items = ttd_queue_list (queue, &error);
  if (items == NULL)
    return fail (cli, error);

  cli->progress_is_tty = isatty (STDERR_FILENO);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);

  for (guint i = 0; i < items->len; i++)
    {
      TtdQueueItem *item = g_ptr_array_index (items, i);
      UploadWait wait = { cli, NULL, NULL };
      g_autofree char *name = item->paths && item->paths[0] ? g_filename_display_basename (item->paths[0])
                                                            : g_strdup ("?");

      if (item->state == TTD_QUEUE_STATE_DONE)
        continue;

      g_printerr (_("Resuming %s…\n"), name);
      cli->last_percent = -1;
      ttd_send_queue_item_async (cli->account, queue, item->id,
                                 no_wait ? TTD_UPLOAD_FLAGS_NONE : TTD_UPLOAD_FLAGS_WAIT,
                                 print_slideshow_progress, cli, NULL, cli->cancellable,
                                 upload_cb, &wait);
      g_main_loop_run (cli->loop);
      sent++;

      json_builder_begin_object (builder);
      add_string (builder, "id", item->id);
      add_string (builder, "file", item->paths ? item->paths[0] : NULL);
      if (wait.result != NULL)
        {
          gboolean ok = ttd_upload_result_succeeded (wait.result) ||
                        (no_wait && g_strcmp0 (wait.result->status, TTD_STATUS_FAILED) != 0);

          add_bool (builder, "ok", ok);
          add_string (builder, "publish_id", wait.result->publish_id);
          add_string (builder, "status", wait.result->status);
          if (!ok)
            {
              g_autofree char *reason = ttd_error_describe_fail_reason (wait.result->fail_reason);

              g_printerr ("%s: %s\n", name, wait.result->status && g_str_equal (wait.result->status, TTD_STATUS_FAILED)
                                            ? reason : _("TikTok is still processing it."));
              code = EXIT_FAILED;
            }
          else if (!cli->json)
            g_print ("%s: %s (%s)\n", name, wait.result->status ? wait.result->status : _("sent"),
                     wait.result->publish_id);
          ttd_upload_result_free (wait.result);
        }
      else
        {
          add_bool (builder, "ok", FALSE);
          add_string (builder, "error", wait.error->message);
          g_printerr ("%s: %s\n", name, wait.error->message);
          code = exit_code_for (wait.error);
          if (g_error_matches (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_error_free (wait.error);
              json_builder_end_object (builder);
              break;
            }
          g_error_free (wait.error);
        }
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, code == EXIT_OK);
  json_builder_end_object (builder);

  if (cli->json)
    print_json_object (builder);
  else if (sent == 0)
    g_print (_("Nothing was interrupted.\n"));

  return code;
}

/* info */

static int
cmd_info (Cli    *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) config_error = NULL;
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(GError) user_error = NULL;
  g_autoptr(TtdTokenStore) store = NULL;
  g_autoptr(TtdTokens) tokens = NULL;
  g_autoptr(TtdUserInfo) info = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean configured;

  if (!parse_options (cli, "info", NULL,
                      _("Shows the configuration and whether you are signed in. Token values are never shown."),
                      NULL, &argc, &argv))
    return cli->exit_code;

  build_config (cli);
  configured = ttd_config_validate (cli->config, &config_error);

  store = ttd_secret_token_store_new ();
  tokens = ttd_token_store_load (store, cli->cancellable, &keyring_error);

  if (tokens != NULL && configured)
    {
      cli->account = ttd_account_new (cli->config, store);
      if (ttd_account_load (cli->account, cli->cancellable, NULL))
        info = ttd_account_fetch_user_info (cli->account, cli->cancellable, &user_error);
      g_clear_pointer (&tokens, ttd_tokens_free);
      tokens = ttd_account_dup_tokens (cli->account);
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_bool (builder, "ok", tokens != NULL);
      add_string (builder, "version", PACKAGE_VERSION);
      add_string (builder, "client_key", cli->config->client_key);
      add_bool (builder, "client_secret_set", cli->config->client_secret != NULL);
      add_string (builder, "api_base", cli->config->api_base);
      add_string (builder, "auth_url", cli->config->auth_url);
      add_bool (builder, "configured", configured);
      if (config_error != NULL)
        add_string (builder, "config_problem", config_error->message);
      add_string (builder, "token_store", "keyring");
      if (keyring_error != NULL)
        add_string (builder, "keyring_problem", keyring_error->message);
      add_bool (builder, "signed_in", tokens != NULL);
      add_string (builder, "open_id", tokens ? tokens->open_id : NULL);
      add_string (builder, "display_name", info ? info->display_name : NULL);
      add_string (builder, "avatar_url", info ? info->avatar_url : NULL);
      if (tokens != NULL)
        {
          add_string (builder, "scope", tokens->scope);
          add_bool (builder, "access_token_valid", tokens->access_expires_at > now);
          add_int (builder, "access_expires_at", tokens->access_expires_at);
          add_int (builder, "refresh_expires_at", tokens->refresh_expires_at);
        }
      if (user_error != NULL)
        add_string (builder, "account_problem", user_error->message);
      json_builder_end_object (builder);
      print_json_object (builder);
    }
  else
    {
      g_print ("%-16s %s\n", _("Version:"), PACKAGE_VERSION);
      g_print ("%-16s %s\n", _("Client key:"), cli->config->client_key ? cli->config->client_key : _("(not set)"));
      g_print ("%-16s %s\n", _("Client secret:"), cli->config->client_secret ? _("set") : _("(not set)"));
      g_print ("%-16s %s\n", _("API base:"), cli->config->api_base);
      g_print ("%-16s %s\n", _("Sign-in page:"), cli->config->auth_url);
      if (config_error != NULL)
        g_print ("%-16s %s\n", _("Problem:"), config_error->message);
      if (keyring_error != NULL)
        g_print ("%-16s %s\n", _("Keyring:"), keyring_error->message);
      if (tokens != NULL)
        {
          g_autoptr(GDateTime) expiry = g_date_time_new_from_unix_local (tokens->access_expires_at);
          g_autofree char *when = g_date_time_format (expiry, "%c");

          g_print ("%-16s %s\n", _("Signed in as:"),
                   info && info->display_name ? info->display_name : tokens->open_id);
          g_print ("%-16s %s\n", _("Open ID:"), tokens->open_id);
          g_print ("%-16s %s\n", _("Permissions:"), tokens->scope ? tokens->scope : "");
          g_print ("%-16s %s\n", _("Token valid to:"), when);
          if (user_error != NULL)
            g_print ("%-16s %s\n", _("Account:"), user_error->message);
        }
      else
        g_print ("%-16s %s\n", _("Signed in:"), _("no (run “tiktok-drafts-cli auth”)"));
    }

  /* Signed out is a normal answer, but scripts can test for it. */
  return tokens != NULL ? EXIT_OK : EXIT_FAILED;
}

/* logout */

static int
cmd_logout (Cli    *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *revoke_problem = NULL;
  gboolean was_signed_in;

  if (!parse_options (cli, "logout", NULL,
                      _("Revokes TikTok Drafts' access at TikTok, then deletes the tokens from the keyring."),
                      NULL, &argc, &argv))
    return cli->exit_code;

  if (!prepare_account (cli, TRUE, &error))
    return fail (cli, error);

  was_signed_in = ttd_account_is_signed_in (cli->account);

  if (!ttd_account_sign_out (cli->account, &revoke_problem, cli->cancellable, &error))
    return fail (cli, error);

  ttd_token_store_save_pending (ttd_account_get_store (cli->account), NULL, NULL, NULL);

  if (revoke_problem != NULL)
    g_printerr (_("TikTok could not be told to revoke access (%s); the tokens were deleted here anyway. "
                  "You can remove the app under Settings › Security › Manage app permissions in TikTok.\n"),
                revoke_problem);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_bool (builder, "ok", TRUE);
      add_bool (builder, "signed_in", FALSE);
      add_bool (builder, "was_signed_in", was_signed_in);
      add_bool (builder, "revoked", was_signed_in && revoke_problem == NULL);
      json_builder_end_object (builder);
      print_json_object (builder);
    }
  else if (was_signed_in)
    g_print (_("Signed out of TikTok.\n"));
  else
    g_print (_("You were not signed in.\n"));

  return EXIT_OK;
}

static const Command commands[] = {
  { "auth", cmd_auth, N_("Sign in to TikTok in the browser") },
  { "token", cmd_token, N_("Finish a sign-in with a code by hand") },
  { "refresh", cmd_refresh, N_("Refresh the sign-in now") },
  { "upload", cmd_upload, N_("Send a video to your TikTok drafts") },
  { "slideshow", cmd_slideshow, N_("Send photos to your TikTok drafts as a slideshow") },
  { "status", cmd_status, N_("Show TikTok's status for a draft") },
  { "queue", cmd_queue, N_("List what is queued and its state") },
  { "resume", cmd_resume, N_("Continue everything that was interrupted") },
  { "info", cmd_info, N_("Show configuration and sign-in state") },
  { "logout", cmd_logout, N_("Revoke access and forget the sign-in") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n%s\n", _("Usage: tiktok-drafts-cli COMMAND [OPTIONS…]"),
           _("Send videos to your TikTok inbox as drafts; finish and post them in the TikTok app."));
  fprintf (out, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “tiktok-drafts-cli COMMAND --help” for a command's options."));
  fprintf (out, "\n%s\n  %s\n  %s\n  %s\n  %s\n",
           _("Environment:"),
           "TIKTOK_DRAFTS_CLIENT_KEY, TIKTOK_DRAFTS_CLIENT_SECRET",
           "TIKTOK_DRAFTS_API_BASE (https://open.tiktokapis.com)",
           "TIKTOK_DRAFTS_AUTH_URL (https://www.tiktok.com/v2/auth/authorize/)",
           "TIKTOK_DRAFTS_PHOTO_UPLOAD_URL, TIKTOK_DRAFTS_PHOTO_PUBLIC_URL");
  fprintf (out, "\n%s\n", _("Exit status: 0 success, 1 failure, 2 usage error, 3 not signed in, "
                            "4 TikTok still processing, 130 cancelled."));
}

/* Ctrl+C and SIGTERM are watched from a thread of their own, so they work
 * even while the main thread waits in a call that runs no main loop of ours
 * (the keyring's unlock prompt, for one). The first asks the main thread to
 * cancel the command, which then winds down as usual (an upload is left
 * queued, hosted photos are deleted). If the main thread has not taken the
 * request within INTERRUPT_GRACE_SECONDS, or on a second signal, the CLI
 * stops at once with status 130: everything it keeps on disk is replaced
 * atomically, so that is no worse than a crash, which the queue survives. */
#define INTERRUPT_GRACE_SECONDS 2

static void
stop_now (void)
{
  g_printerr ("%s\n", _("Stopped."));
  _exit (EXIT_CANCELLED);
}

static gboolean
cancel_in_main_thread_cb (gpointer user_data)
{
  Cli *cli = user_data;

  g_atomic_int_set (&cli->interrupt_handled, TRUE);
  g_cancellable_cancel (cli->cancellable);

  return G_SOURCE_REMOVE;
}

static gboolean
interrupt_unanswered_cb (gpointer user_data)
{
  Cli *cli = user_data;

  if (!g_atomic_int_get (&cli->interrupt_handled))
    stop_now ();

  return G_SOURCE_REMOVE;
}

static gboolean
on_interrupt (gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GSource) grace = NULL;

  if (cli->n_interrupts++ > 0)
    stop_now ();

  g_printerr ("\n%s\n", _("Cancelling…"));
  g_main_context_invoke (NULL, cancel_in_main_thread_cb, cli);

  grace = g_timeout_source_new_seconds (INTERRUPT_GRACE_SECONDS);
  g_source_set_callback (grace, interrupt_unanswered_cb, cli, NULL);
  g_source_attach (grace, g_main_context_get_thread_default ());

  return G_SOURCE_CONTINUE;
}

static gpointer
watch_interrupts_thread (gpointer user_data)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  const int signals[] = { SIGINT, SIGTERM };

  g_main_context_push_thread_default (context);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      g_autoptr(GSource) source = g_unix_signal_source_new (signals[i]);

      g_source_set_callback (source, on_interrupt, user_data, NULL);
      g_source_attach (source, context);
    }

  /* Until the process exits. */
  for (;;)
    g_main_context_iteration (context, TRUE);

  return NULL;
}

int
main (int    argc,
      char **argv)
{
  Cli cli = { 0, };
  const char *name;
  int code = EXIT_USAGE;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("tiktok-drafts-cli");
  ttd_log_init ();

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }

  name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help"))
    {
      print_usage (stdout);
      return EXIT_OK;
    }
  if (g_str_equal (name, "--version"))
    {
      g_print ("tiktok-drafts-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  cli.cancellable = g_cancellable_new ();
  cli.loop = g_main_loop_new (NULL, FALSE);
  g_thread_unref (g_thread_new ("ttd-interrupts", watch_interrupts_thread, &cli));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      {
        /* argv[1] becomes the program name for the command's parser. */
        code = commands[i].func (&cli, argc - 1, argv + 1);
        goto out;
      }

  g_printerr (_("Unknown command “%s”.\n\n"), name);
  print_usage (stderr);

out:
  g_clear_object (&cli.account);
  g_clear_pointer (&cli.config, ttd_config_free);
  g_clear_object (&cli.cancellable);
  g_clear_pointer (&cli.loop, g_main_loop_unref);
  g_free (cli.client_key);
  g_free (cli.api_base);
  g_free (cli.auth_url);

  return code;
}
