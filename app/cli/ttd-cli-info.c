/* ttd-cli-info.c — the “info” command
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-cli.h"

int
cli_cmd_info (Cli    *cli,
              int     argc,
              char  **argv)
{
  g_autoptr(GError) config_error = NULL;
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(GError) user_error = NULL;
  g_autoptr(TtdTokenStore) store = NULL;
  g_autoptr(TtdTokens) tokens = NULL;
  g_autoptr(TtdUserInfo) info = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean configured;

  if (!cli_parse_options (cli, "info", NULL,
                          _("Shows the configuration and whether you are signed in. Token values are never shown."),
                          NULL, &argc, &argv))
    return cli->exit_code;

  cli_build_config (cli);
  configured = ttd_config_validate (cli->config, &config_error);

  if (configured)
    {
      /* The account named with --account, or the default one. */
      if (!cli_prepare_account (cli, TRUE, &keyring_error))
        {
          if (g_error_matches (keyring_error, TTD_ERROR, TTD_ERROR_NO_SUCH_ACCOUNT))
            return cli_fail (cli, keyring_error);
          g_clear_object (&cli->account);
        }
      if (cli->account != NULL && ttd_account_is_signed_in (cli->account))
        {
          info = ttd_account_fetch_user_info (cli->account, cli->cancellable, &user_error);
          tokens = ttd_account_dup_tokens (cli->account);
        }
    }
  else
    {
      /* Not configured: still say whether the keyring holds a sign-in. */
      store = ttd_secret_token_store_new ();
      tokens = ttd_token_store_load (store, cli->account_name, cli->cancellable, &keyring_error);
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_add_bool (builder, "ok", tokens != NULL);
      cli_add_string (builder, "version", PACKAGE_VERSION);
      cli_add_string (builder, "client_key", cli->config->client_key);
      cli_add_bool (builder, "client_secret_set", cli->config->client_secret != NULL);
      cli_add_string (builder, "api_base", cli->config->api_base);
      cli_add_string (builder, "auth_url", cli->config->auth_url);
      cli_add_bool (builder, "configured", configured);
      if (config_error != NULL)
        cli_add_string (builder, "config_problem", config_error->message);
      cli_add_string (builder, "token_store", "keyring");
      if (keyring_error != NULL)
        cli_add_string (builder, "keyring_problem", keyring_error->message);
      cli_add_bool (builder, "signed_in", tokens != NULL);
      cli_add_string (builder, "open_id", tokens ? tokens->open_id : NULL);
      cli_add_string (builder, "display_name", info && info->display_name ? info->display_name
                                               : tokens ? tokens->display_name : NULL);
      cli_add_string (builder, "avatar_url", info ? info->avatar_url : NULL);
      if (tokens != NULL)
        {
          cli_add_string (builder, "scope", tokens->scope);
          cli_add_bool (builder, "access_token_valid", tokens->access_expires_at > now);
          cli_add_int (builder, "access_expires_at", tokens->access_expires_at);
          cli_add_int (builder, "refresh_expires_at", tokens->refresh_expires_at);
        }
      if (user_error != NULL)
        cli_add_string (builder, "account_problem", user_error->message);
      json_builder_end_object (builder);
      cli_print_json_object (builder);
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

