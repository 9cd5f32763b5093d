/* ttd-cli-auth.c — the “auth” and “token” commands: signing in
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "ttd-cli.h"

/* The sign-in asked TikTok for the account's name already; only when that
 * failed is it asked again, to say why. */
static void
print_signed_in (Cli *cli)
{
  g_autoptr(TtdTokens) tokens = ttd_account_dup_tokens (cli->account);
  g_autofree char *name = ttd_account_dup_display_name (cli->account);

  if (name == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TtdUserInfo) info = ttd_account_fetch_user_info (cli->account, cli->cancellable, &error);

      if (info == NULL)
        g_printerr (_("Signed in, but the account details could not be read: %s\n"), error->message);
      else
        name = g_strdup (info->display_name);
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_add_bool (builder, "ok", TRUE);
      cli_add_bool (builder, "signed_in", TRUE);
      cli_add_string (builder, "open_id", tokens->open_id);
      cli_add_string (builder, "display_name", name);
      cli_add_string (builder, "scope", tokens->scope);
      cli_add_int (builder, "access_expires_at", tokens->access_expires_at);
      cli_add_int (builder, "refresh_expires_at", tokens->refresh_expires_at);
      json_builder_end_object (builder);
      cli_print_json_object (builder);
    }
  else if (name != NULL)
    g_print (_("Signed in to TikTok as %s.\n"), name);
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

int
cli_cmd_auth (Cli    *cli,
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
  AuthWait wait = { cli, NULL, NULL };
  gboolean opened = FALSE;

  if (!cli_parse_options (cli, "auth", NULL,
                          _("Signs in to TikTok in the browser. The result comes back to a listener on "
                            "127.0.0.1 and the tokens are kept in the system keyring."),
                          entries, &argc, &argv))
    return cli->exit_code;

  if (!cli_prepare_account (cli, FALSE, &error))
    return cli_fail (cli, error);

  if (redirect_uri != NULL)
    flow = ttd_auth_flow_new_manual (cli->config, redirect_uri, &error);
  else
    flow = ttd_auth_flow_new_loopback (cli->config, &error);
  if (flow == NULL)
    return cli_fail (cli, error);

  /* Keep the verifier so “token --code” can finish if the browser cannot
   * reach the listener (or for a web redirect URI). */
  pending = ttd_auth_flow_dup_pending_json (flow);
  if (!ttd_token_store_save_pending (ttd_account_get_store (cli->account), pending,
                                     cli->cancellable, &error))
    return cli_fail (cli, error);
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
          cli_add_bool (builder, "ok", TRUE);
          cli_add_string (builder, "authorize_url", ttd_auth_flow_get_authorize_uri (flow));
          cli_add_string (builder, "redirect_uri", ttd_auth_flow_get_redirect_uri (flow));
          cli_add_bool (builder, "signed_in", FALSE);
          json_builder_end_object (builder);
          cli_print_json_object (builder);
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

  /* Whatever the browser brought (or after a timeout), the kept verifier
   * and state are of no more use: never leave them in the keyring. */
  ttd_token_store_save_pending (ttd_account_get_store (cli->account), NULL, NULL, NULL);

  if (wait.code == NULL)
    {
      int status = cli_fail (cli, wait.error);

      g_clear_error (&wait.error);
      return status;
    }

  if (!ttd_account_complete_sign_in (cli->account, wait.code,
                                     ttd_auth_flow_get_redirect_uri (flow),
                                     ttd_auth_flow_get_code_verifier (flow),
                                     cli->cancellable, &error))
    {
      ttd_secure_free (wait.code);
      return cli_fail (cli, error);
    }
  ttd_secure_free (wait.code);

  print_signed_in (cli);
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

int
cli_cmd_token (Cli    *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *code_arg = NULL;
  GOptionEntry entries[] = {
    { "code", 0, 0, G_OPTION_ARG_STRING, &code_arg, N_("The code TikTok showed after sign-in, or “-” to read it from standard input: the safe form, as other programs on this computer can read a command line"), N_("CODE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdAuthFlow) flow = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *input = NULL;
  g_autofree char *code = NULL;

  if (!cli_parse_options (cli, "token", NULL,
                          _("Finishes a sign-in by hand with the code TikTok returned, using the "
                            "verifier kept from the last “auth”."),
                          entries, &argc, &argv))
    return cli->exit_code;

  /* Every user of the computer can read a command line (ps, /proc); wipe
   * the code there at once. Reading it from standard input leaves no
   * such moment. */
  cli_forget_option_value (cli, "--code");

  if (code_arg == NULL)
    return cli_fail_usage (cli, _("Give the code with --code CODE (or --code - to read it from standard input)."));

  input = g_str_equal (code_arg, "-") ? read_code_from_stdin () : g_strdup (code_arg);
  explicit_bzero (code_arg, strlen (code_arg));
  code = input ? extract_code (input) : NULL;
  ttd_secure_clear (&input);
  if (code == NULL || *code == '\0')
    return cli_fail_usage (cli, _("The code is empty."));
  ttd_log_add_secret (code);

  if (!cli_prepare_account (cli, FALSE, &error))
    return cli_fail (cli, error);

  pending = ttd_token_store_load_pending (ttd_account_get_store (cli->account), cli->cancellable, &error);
  if (error != NULL)
    return cli_fail (cli, error);

  /* Single use: tried once (or refused as too old), it is forgotten. */
  flow = ttd_auth_flow_new_from_pending (pending, &error);
  ttd_token_store_save_pending (ttd_account_get_store (cli->account), NULL, NULL, NULL);
  if (flow == NULL)
    return cli_fail (cli, error);

  if (!ttd_account_complete_sign_in (cli->account, code, ttd_auth_flow_get_redirect_uri (flow),
                                     ttd_auth_flow_get_code_verifier (flow),
                                     cli->cancellable, &error))
    return cli_fail (cli, error);
  explicit_bzero (code, strlen (code));

  print_signed_in (cli);
  return EXIT_OK;
}

