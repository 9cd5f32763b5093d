/* ttd-cli.h — what the commands of tiktok-drafts-cli share
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ttd-core.h"

G_BEGIN_DECLS

/* Exit codes (also in --help). */
enum
{
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_SIGNED_OUT = 3,
  EXIT_PENDING = 4,
  EXIT_WAITING = 5,      /* queued; TikTok holds it back until its next try */
  EXIT_CANCELLED = 130,
};

typedef struct
{
  /* global options */
  gboolean      json;
  char         *client_key;
  char         *api_base;
  char         *auth_url;
  char         *account_name;   /* --account, for the commands that take it */

  /* The argument strings the process started with, which the kernel shows
   * in /proc/PID/cmdline; the parsers rearrange argv itself. */
  char        **original_argv;

  TtdConfig    *config;
  TtdAccounts  *accounts;
  TtdAccount   *account;        /* the account the command works for */
  GCancellable *cancellable;
  GMainLoop    *loop;
  int           exit_code;
  gboolean      progress_is_tty;
  int           last_percent;

  /* Ctrl+C and SIGTERM, watched from a thread of their own */
  guint         n_interrupts;      /* only touched by that thread */
  gint          interrupt_handled; /* atomic: the main thread has cancelled */
} Cli;

/* ttd-cli.c: options, configuration and output */

gboolean cli_parse_options       (Cli            *cli,
                                  const char     *command,
                                  const char     *parameter,
                                  const char     *summary,
                                  GOptionEntry   *entries,
                                  int            *argc,
                                  char         ***argv);
void     cli_forget_option_value (Cli            *cli,
                                  const char     *long_name);
void     cli_build_config        (Cli            *cli);
TtdAccounts *cli_get_accounts    (Cli            *cli);
gboolean cli_prepare_account     (Cli            *cli,
                                  gboolean        load_tokens,
                                  GError        **error);
gboolean cli_require_sign_in     (Cli            *cli,
                                  GError        **error);
gboolean cli_use_item_account    (Cli            *cli,
                                  const TtdQueueItem *item,
                                  GError        **error);

void     cli_print_json_object   (JsonBuilder    *builder);
void     cli_add_string          (JsonBuilder    *builder,
                                  const char     *name,
                                  const char     *value);
void     cli_add_path            (JsonBuilder    *builder,
                                  const char     *name,
                                  const char     *path);
void     cli_add_int             (JsonBuilder    *builder,
                                  const char     *name,
                                  gint64          value);
void     cli_add_bool            (JsonBuilder    *builder,
                                  const char     *name,
                                  gboolean        value);
int      cli_percent             (gint64          part,
                                  gint64          whole);
int      cli_exit_code_for       (const GError   *error);
int      cli_fail                (Cli            *cli,
                                  const GError   *error);
int      cli_fail_usage          (Cli            *cli,
                                  const char     *message);

/* ttd-cli-send.c: sending a queue item and reporting on a draft */

char            *cli_describe_progress (const TtdUploadProgress *progress);
void             cli_print_progress  (const TtdUploadProgress *progress,
                                      gpointer                 user_data);
TtdUploadResult *cli_send_item       (Cli                     *cli,
                                      TtdQueue                *queue,
                                      const char              *id,
                                      gboolean                 wait,
                                      TtdUploadProgressFunc    progress,
                                      gpointer                 progress_data,
                                      GError                 **error);
TtdUploadResult *cli_send_item_with_flags (Cli                *cli,
                                      TtdQueue                *queue,
                                      const char              *id,
                                      TtdUploadFlags           flags,
                                      TtdUploadProgressFunc    progress,
                                      gpointer                 progress_data,
                                      GError                 **error);
int              cli_report_publish  (Cli                     *cli,
                                      const char              *file,
                                      const char              *publish_id,
                                      const char              *status,
                                      const char              *fail_reason,
                                      gboolean                 waited);
int              cli_report_sent     (Cli                     *cli,
                                      const char              *file,
                                      TtdUploadResult         *result,
                                      gboolean                 waited);
int              cli_fail_send       (Cli                     *cli,
                                      const char              *file,
                                      const GError            *error);
void             cli_add_wait        (JsonBuilder             *builder,
                                      TtdWaitReason            reason,
                                      gint64                   next_try_at);

char            *cli_describe_publish (const char             *publish_id,
                                       const char             *status,
                                       const char             *fail_reason,
                                       gboolean                waited,
                                       int                    *code);

/* ttd-cli-queue.c and ttd-cli-slideshow.c: pieces other commands share */

void          cli_add_queue_items (JsonBuilder         *builder,
                                   GPtrArray           *items);
TtdQueueItem *cli_queue_slideshow (TtdQueue            *queue,
                                   const TtdSlideshow  *slideshow,
                                   const char          *open_id,
                                   GError             **error);

/* The commands, one file each (auth and token share ttd-cli-auth.c). Each
 * gets its own name as argv[0]. */

int cli_cmd_auth      (Cli *cli, int argc, char **argv);
int cli_cmd_token     (Cli *cli, int argc, char **argv);
int cli_cmd_refresh   (Cli *cli, int argc, char **argv);
int cli_cmd_upload    (Cli *cli, int argc, char **argv);
int cli_cmd_slideshow (Cli *cli, int argc, char **argv);
int cli_cmd_status    (Cli *cli, int argc, char **argv);
int cli_cmd_queue     (Cli *cli, int argc, char **argv);
int cli_cmd_resume    (Cli *cli, int argc, char **argv);
int cli_cmd_info      (Cli *cli, int argc, char **argv);
int cli_cmd_logout    (Cli *cli, int argc, char **argv);
int cli_cmd_accounts  (Cli *cli, int argc, char **argv);
int cli_cmd_photo_host (Cli *cli, int argc, char **argv);
int cli_cmd_mcp       (Cli *cli, int argc, char **argv);

G_END_DECLS
