/* ttd-cli.c — tiktok-drafts-cli: the command-line front end of the core
 *
 * This file has main(), the table of commands, the options and set-up
 * every command shares, the output helpers and the watcher of Ctrl+C;
 * each command is in a ttd-cli-COMMAND.c of its own.
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "ttd-cli.h"

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

/* The commands that work for one account: they take --account. */
static const char * const account_commands[] = {
  "upload", "slideshow", "status", "refresh", "info", "logout", NULL
};

static const GOptionEntry account_entry = {
  "account", 0, 0, G_OPTION_ARG_STRING, NULL,
  N_("The TikTok account to use, by open_id or display name (default: the default account; see “accounts”)"),
  N_("ACCOUNT")
};

void
cli_print_json_object (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

void
cli_add_string (JsonBuilder *builder,
                const char  *name,
                const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* A file name as a JSON string: one that is not UTF-8 goes out as a
 * file:// URI, so that the output stays valid JSON and loses nothing. */
void
cli_add_path (JsonBuilder *builder,
              const char  *name,
              const char  *path)
{
  g_autofree char *text = path != NULL ? ttd_queue_path_to_text (path) : NULL;

  cli_add_string (builder, name, text);
}

void
cli_add_int (JsonBuilder *builder,
             const char  *name,
             gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
cli_add_bool (JsonBuilder *builder,
              const char  *name,
              gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

/**
 * cli_percent:
 *
 * Returns: how much of @whole @part is, in whole percent from 0 to 100,
 *   for any two numbers: they may come from a queue file anyone could
 *   have edited, where part * 100 would overflow.
 */
int
cli_percent (gint64 part,
             gint64 whole)
{
  if (whole <= 0 || part <= 0)
    return 0;
  if (part >= whole)
    return 100;
  if (part <= G_MAXINT64 / 100)
    return (int) (part * 100 / whole);

  /* Both are beyond 10^16 here, so whole / 100 loses nothing a whole
   * percentage shows; part < whole, so it is less than 100 %. */
  return (int) MIN (part / (whole / 100), 99);
}

int
cli_exit_code_for (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return EXIT_CANCELLED;
  if (g_error_matches (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED))
    return EXIT_SIGNED_OUT;
  if (error != NULL && error->domain == TTD_WAIT_ERROR)
    return EXIT_WAITING;
  return EXIT_FAILED;
}

/* Errors go to stderr as a sentence; with --json, stdout still gets one
 * object so scripts can parse every outcome. */
int
cli_fail (Cli          *cli,
          const GError *error)
{
  g_autofree char *log_id = ttd_error_dup_log_id (error);

  g_printerr ("%s\n", error->message);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_add_bool (builder, "ok", FALSE);
      cli_add_string (builder, "error", error->message);
      if (log_id != NULL)
        cli_add_string (builder, "log_id", log_id);
      json_builder_end_object (builder);
      cli_print_json_object (builder);
    }

  return cli_exit_code_for (error);
}

int
cli_fail_usage (Cli        *cli,
                const char *message)
{
  g_autoptr(GError) error = g_error_new_literal (TTD_ERROR, TTD_ERROR_CONFIG, message);

  cli_fail (cli, error);
  return EXIT_USAGE;
}

gboolean
cli_parse_options (Cli           *cli,
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
  if (g_strv_contains (account_commands, command))
    {
      GOptionEntry account[2] = { account_entry, { NULL } };

      account[0].arg_data = &cli->account_name;
      g_option_context_add_main_entries (context, account, GETTEXT_PACKAGE);
    }
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

/**
 * cli_forget_option_value:
 * @long_name: an option that takes a value, such as "--code"
 *
 * Overwrites the value given to @long_name in the argument strings the
 * process started with: the kernel shows that memory to every user of
 * the computer in /proc/PID/cmdline (and so in ps), for as long as the
 * process runs. The copy the option parser made is the caller's to wipe.
 */
void
cli_forget_option_value (Cli        *cli,
                         const char *long_name)
{
  gsize name_len = strlen (long_name);

  for (char **arg = cli->original_argv; arg != NULL && *arg != NULL; arg++)
    {
      char *value = NULL;

      if (g_str_equal (*arg, "--"))
        break;
      if (g_str_equal (*arg, long_name) && arg[1] != NULL)
        value = *++arg;
      else if (strncmp (*arg, long_name, name_len) == 0 && (*arg)[name_len] == '=')
        value = *arg + name_len + 1;

      if (value != NULL)
        explicit_bzero (value, strlen (value));
    }
}

/* Configuration, highest first: options, environment, keyring, defaults. */
void
cli_build_config (Cli *cli)
{
  if (cli->config != NULL)
    return;

  cli->config = ttd_config_new ();
  ttd_config_apply_env (cli->config);
  ttd_config_set (&cli->config->client_key, cli->client_key);
  ttd_config_set (&cli->config->api_base, cli->api_base);
  ttd_config_set (&cli->config->auth_url, cli->auth_url);

  /* What the app's Preferences keep in the keyring: the client secret
   * and the photo host's password or token. */
  ttd_config_load_secrets (cli->config, cli->cancellable);
}

/* The accounts in the keyring, without reading it yet. */
TtdAccounts *
cli_get_accounts (Cli *cli)
{
  if (cli->accounts == NULL)
    {
      g_autoptr(TtdTokenStore) store = ttd_secret_token_store_new ();

      cli->accounts = ttd_accounts_new (cli->config, store);
    }

  return cli->accounts;
}

/**
 * cli_prepare_account:
 * @load_tokens: whether to read the account's tokens (all but “auth”)
 *
 * Builds the configuration and sets cli->account: the account named with
 * --account (an error if no such account is signed in), or the default
 * account (which may be signed out: see cli_require_sign_in()).
 */
gboolean
cli_prepare_account (Cli      *cli,
                     gboolean  load_tokens,
                     GError  **error)
{
  cli_build_config (cli);
  if (!ttd_config_validate (cli->config, error))
    return FALSE;

  g_clear_object (&cli->account);
  if (load_tokens && cli->account_name != NULL)
    {
      cli->account = ttd_accounts_lookup (cli_get_accounts (cli), cli->account_name,
                                          cli->cancellable, error);
      return cli->account != NULL;
    }

  cli->account = ttd_accounts_get (cli_get_accounts (cli), NULL);
  if (load_tokens && !ttd_account_load (cli->account, cli->cancellable, error))
    return FALSE;

  return TRUE;
}

/**
 * cli_use_item_account:
 *
 * Makes cli->account the account @item was queued for (the default one
 * for an item from before several accounts), so that it goes there and
 * nowhere else.
 */
gboolean
cli_use_item_account (Cli                *cli,
                      const TtdQueueItem *item,
                      GError            **error)
{
  g_autofree char *current = cli->account ? ttd_account_dup_open_id (cli->account) : NULL;
  g_autoptr(GError) local_error = NULL;
  TtdAccount *account;

  if (item->open_id == NULL || g_strcmp0 (current, item->open_id) == 0)
    return cli->account != NULL || cli_prepare_account (cli, TRUE, error);

  account = ttd_accounts_lookup (cli_get_accounts (cli), item->open_id, cli->cancellable, &local_error);
  if (account == NULL)
    {
      if (g_error_matches (local_error, TTD_ERROR, TTD_ERROR_NO_SUCH_ACCOUNT))
        g_set_error_literal (error, TTD_ERROR, TTD_ERROR_NO_SUCH_ACCOUNT,
                             _("This item is for a TikTok account that is no longer signed in here. Sign in to that account again with “tiktok-drafts-cli auth”, then resume."));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_clear_object (&cli->account);
  cli->account = account;

  return TRUE;
}

gboolean
cli_require_sign_in (Cli     *cli,
                     GError **error)
{
  if (ttd_account_is_signed_in (cli->account))
    return TRUE;

  g_set_error (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED,
               _("You are not signed in to TikTok. Run “tiktok-drafts-cli auth” first."));
  return FALSE;
}

static const Command commands[] = {
  { "auth", cli_cmd_auth, N_("Sign in to a TikTok account in the browser (adds it to the others)") },
  { "token", cli_cmd_token, N_("Finish a sign-in with a code by hand") },
  { "refresh", cli_cmd_refresh, N_("Refresh the sign-in now") },
  { "upload", cli_cmd_upload, N_("Send a video to your TikTok drafts") },
  { "slideshow", cli_cmd_slideshow, N_("Send photos to your TikTok drafts as a slideshow") },
  { "status", cli_cmd_status, N_("Show TikTok's status for a draft") },
  { "queue", cli_cmd_queue, N_("List what is queued and its state") },
  { "resume", cli_cmd_resume, N_("Continue everything that was interrupted") },
  { "info", cli_cmd_info, N_("Show configuration and sign-in state") },
  { "logout", cli_cmd_logout, N_("Sign out of an account: revoke access and forget its sign-in") },
  { "accounts", cli_cmd_accounts, N_("List the signed-in TikTok accounts, or choose the default one") },
  { "photo-host", cli_cmd_photo_host, N_("Check the photo host, or keep its S3 secret in the keyring") },
  { "mcp", cli_cmd_mcp, N_("Serve AI agents over the Model Context Protocol (stdio)") },
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
  fprintf (out, "\n%s\n  %s\n  %s\n  %s\n  %s\n  %s\n  %s\n  %s\n",
           _("Environment:"),
           "TIKTOK_DRAFTS_CLIENT_KEY, TIKTOK_DRAFTS_CLIENT_SECRET",
           "TIKTOK_DRAFTS_API_BASE (https://open.tiktokapis.com)",
           "TIKTOK_DRAFTS_AUTH_URL (https://www.tiktok.com/v2/auth/authorize/)",
           "TIKTOK_DRAFTS_PHOTO_UPLOAD_URL, TIKTOK_DRAFTS_PHOTO_PUBLIC_URL",
           "TIKTOK_DRAFTS_PHOTO_HOST (webdav or s3), TIKTOK_DRAFTS_S3_ENDPOINT, TIKTOK_DRAFTS_S3_BUCKET,",
           "TIKTOK_DRAFTS_S3_REGION (auto), TIKTOK_DRAFTS_S3_PREFIX, TIKTOK_DRAFTS_S3_ACCESS_KEY_ID,",
           "TIKTOK_DRAFTS_S3_SECRET_ACCESS_KEY (or keep it in the keyring: photo-host set-secret)");
  fprintf (out, "\n%s\n", _("Exit status: 0 success, 1 failure, 2 usage error, 3 not signed in, "
                            "4 TikTok still processing, 5 queued until TikTok lets it through, 130 cancelled."));
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

  /* Before any parser rearranges argv. */
  cli.original_argv = g_memdup2 (argv, sizeof (char *) * (argc + 1));
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
  g_clear_object (&cli.accounts);
  g_clear_pointer (&cli.config, ttd_config_free);
  g_clear_object (&cli.cancellable);
  g_clear_pointer (&cli.loop, g_main_loop_unref);
  g_free (cli.client_key);
  g_free (cli.api_base);
  g_free (cli.auth_url);
  g_free (cli.account_name);
  g_free (cli.original_argv);

  return code;
}

