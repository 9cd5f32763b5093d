/* ttd-cli-mcp.c — the “mcp” command: a Model Context Protocol server on
 * standard input and output, so that AI agents and other programs can send
 * drafts
 *
 * JSON-RPC 2.0, one message a line (MCP's stdio transport, protocol
 * 2025-06-18). One request is answered at a time: a tool that sends
 * answers when the send is done, with progress notifications meanwhile
 * when the client asked for them. Only JSON-RPC goes to standard output;
 * everything else the process writes there goes to standard error instead.
 * The tools go through what the CLI commands use (the queue,
 * cli_send_item()), so nothing is ever posted directly and no result says
 * anything about tokens.
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>

#include "ttd-cli.h"

#define MCP_PROTOCOL_VERSION "2025-06-18"

/* Older versions whose tool messages are the same; a client asking for one
 * of them gets it. */
static const char * const other_protocol_versions[] = { "2025-03-26", "2024-11-05" };

/* A message longer than this is skipped unread and answered with a parse
 * error: nothing a client sends here needs more. */
#define MCP_MESSAGE_MAX (4 * 1024 * 1024)

/* JSON-RPC's error codes */
enum
{
  RPC_PARSE_ERROR = -32700,
  RPC_INVALID_REQUEST = -32600,
  RPC_METHOD_NOT_FOUND = -32601,
  RPC_INVALID_PARAMS = -32602,
  RPC_INTERNAL_ERROR = -32603,
};

#define RPC_ERROR (rpc_error_quark ())
static G_DEFINE_QUARK (ttd-cli-mcp-rpc-error-quark, rpc_error)

typedef struct
{
  Cli        *cli;
  int         out_fd;           /* the real standard output */
  gboolean    out_broken;

  GByteArray *input;
  gsize       scanned;          /* bytes of input known to have no newline */
  gboolean    skipping;         /* inside a line longer than MCP_MESSAGE_MAX */

  GError     *setup_error;      /* why there is no account to send with */

  JsonNode   *progress_token;   /* of the tools/call being answered */
  gint64      progress_count;
  char       *last_progress;
} Mcp;

/* --- writing messages ---------------------------------------------------- */

static void
mcp_write (Mcp      *mcp,
           JsonNode *message)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length = 0, done = 0;

  if (mcp->out_broken)
    return;

  /* Not pretty: the generator escapes newlines in strings, so the message
   * is one line. */
  json_generator_set_root (generator, message);
  text = json_generator_to_data (generator, &length);
  text = g_realloc (text, length + 2);
  text[length++] = '\n';
  text[length] = '\0';

  while (done < length)
    {
      ssize_t n = write (mcp->out_fd, text + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_debug ("MCP: the client stopped reading (%s)", g_strerror (errno));
          mcp->out_broken = TRUE;
          return;
        }
      done += n;
    }
}

static JsonObject *
rpc_message_new (void)
{
  JsonObject *message = json_object_new ();

  json_object_set_string_member (message, "jsonrpc", "2.0");
  return message;
}

static void
mcp_write_object (Mcp        *mcp,
                  JsonObject *message)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), message);

  mcp_write (mcp, node);
}

/* @id: (nullable): the request's id; %NULL answers with a null id */
static void
mcp_reply_error (Mcp        *mcp,
                 JsonNode   *id,
                 int         code,
                 const char *text)
{
  g_autoptr(JsonObject) message = rpc_message_new ();
  JsonObject *error = json_object_new ();

  json_object_set_member (message, "id", id ? json_node_copy (id) : json_node_new (JSON_NODE_NULL));
  json_object_set_int_member (error, "code", code);
  json_object_set_string_member (error, "message", text);
  json_object_set_object_member (message, "error", error);
  mcp_write_object (mcp, message);
}

static void
mcp_reply_result (Mcp        *mcp,
                  JsonNode   *id,
                  JsonObject *result)
{
  g_autoptr(JsonObject) message = rpc_message_new ();

  json_object_set_member (message, "id", json_node_copy (id));
  json_object_set_object_member (message, "result", json_object_ref (result));
  mcp_write_object (mcp, message);
}

/* --- reading messages ---------------------------------------------------- */

/**
 * mcp_read_line:
 * @length: (out): the line's length, without its newline
 * @too_long: (out): set when a line longer than MCP_MESSAGE_MAX was
 *   skipped; the line returned is then empty
 *
 * Reads standard input up to the next newline, blocking.
 *
 * Returns: (transfer full) (nullable): the line, or %NULL at the end of
 *   the input
 */
static char *
mcp_read_line (Mcp      *mcp,
               gsize    *length,
               gboolean *too_long)
{
  *too_long = FALSE;

  for (;;)
    {
      guint8 chunk[64 * 1024];
      guint8 *newline = NULL;
      ssize_t n;

      if (mcp->input->len > mcp->scanned)
        newline = memchr (mcp->input->data + mcp->scanned, '\n', mcp->input->len - mcp->scanned);

      if (newline != NULL)
        {
          gsize end = newline - mcp->input->data;
          char *line = g_malloc (end + 1);

          memcpy (line, mcp->input->data, end);
          line[end] = '\0';
          g_byte_array_remove_range (mcp->input, 0, end + 1);
          mcp->scanned = 0;
          if (end > 0 && line[end - 1] == '\r')
            line[--end] = '\0';
          if (mcp->skipping)
            {
              mcp->skipping = FALSE;
              *too_long = TRUE;
              end = 0;
              line[0] = '\0';
            }
          *length = end;
          return line;
        }

      mcp->scanned = mcp->input->len;
      if (mcp->input->len > MCP_MESSAGE_MAX)
        {
          mcp->skipping = TRUE;
          g_byte_array_set_size (mcp->input, 0);
          mcp->scanned = 0;
        }

      n = read (STDIN_FILENO, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        g_debug ("MCP: reading standard input failed (%s)", g_strerror (errno));
      if (n <= 0)
        {
          /* A last line without a newline still counts. */
          if (mcp->input->len > 0 && !mcp->skipping)
            {
              g_byte_array_append (mcp->input, (const guint8 *) "\n", 1);
              continue;
            }
          *too_long = mcp->skipping;
          mcp->skipping = FALSE;
          g_byte_array_set_size (mcp->input, 0);
          return NULL;
        }
      g_byte_array_append (mcp->input, chunk, n);
    }
}

/* --- JSON helpers -------------------------------------------------------- */

/* A member as a string, or %NULL when it is missing or something else. */
static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* JSON-RPC ids (and MCP's progress tokens) are strings or numbers. */
static gboolean
node_is_id (JsonNode *node)
{
  return node_is_number (node) ||
         (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING);
}

/* A whole number, also when written as 3.0; beyond 64 bits it is clamped. */
static gboolean
node_get_whole (JsonNode *node,
                gint64   *value)
{
  double number;

  if (!node_is_number (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }

  number = json_node_get_double (node);
  if (!isfinite (number))
    return FALSE;
  if (number >= 9.2e18 || number <= -9.2e18)
    *value = number > 0 ? G_MAXINT64 : G_MININT64;
  else if (number == (double) (gint64) number)
    *value = (gint64) number;
  else
    return FALSE;

  return TRUE;
}

/* The text of a tool result that is JSON: what the structured content
 * says, for clients that read only text. */
static char *
object_to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

/* --- the account ---------------------------------------------------------- */

/* Why no tool can send (the configuration is wrong), or TRUE. */
static gboolean
mcp_check_setup (Mcp     *mcp,
                 GError **error)
{
  if (mcp->setup_error != NULL)
    {
      g_propagate_error (error, g_error_copy (mcp->setup_error));
      return FALSE;
    }

  return TRUE;
}

/**
 * mcp_resolve_account:
 * @wanted: (nullable): the tool's “account” argument: an open_id or a
 *   display name, %NULL for the default
 *
 * The one place a tool's account argument becomes an account, looked up
 * among every signed-in account as it is in the keyring now (a sign-in or
 * sign-out by another process since the last call counts). It becomes
 * cli->account.
 *
 * Returns: (transfer none) (nullable): the account to send with, signed in
 */
static TtdAccount *
mcp_resolve_account (Mcp         *mcp,
                     const char  *wanted,
                     GError     **error)
{
  Cli *cli = mcp->cli;
  g_autoptr(GError) local_error = NULL;
  TtdAccount *account;

  if (!mcp_check_setup (mcp, error))
    return NULL;

  if (wanted == NULL)
    {
      g_clear_object (&cli->account);
      cli->account = ttd_accounts_get (cli_get_accounts (cli), NULL);
      if (!ttd_account_load (cli->account, cli->cancellable, error) || !cli_require_sign_in (cli, error))
        return NULL;
      return cli->account;
    }

  account = ttd_accounts_lookup (cli_get_accounts (cli), wanted, cli->cancellable, &local_error);
  if (account == NULL)
    {
      if (g_error_matches (local_error, TTD_ERROR, TTD_ERROR_NO_SUCH_ACCOUNT))
        g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_PARAMS,
                     /* Translators: %s is a sentence saying which accounts there are */
                     _("%s Call list_accounts to see the accounts to send to."), local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_clear_object (&cli->account);
  cli->account = account;

  return account;
}

/* --- the tools ------------------------------------------------------------ */

/* A tool returns its structured content and the text that says it, or
 * %NULL with @error set, which becomes a tool error. */
typedef JsonObject *(*ToolFunc) (Mcp         *mcp,
                                 JsonObject  *args,
                                 char       **text,
                                 GError     **error);

typedef struct
{
  const char *name;
  const char *title;
  const char *description;
  const char *input_schema;
  gboolean    read_only;
  ToolFunc    func;
} Tool;

/* A file as an agent names it: a path, ~/… or a file:// URI; never an
 * address elsewhere, which GIO might otherwise go and read. */
static GFile *
file_for_argument (const char  *path,
                   GError     **error)
{
  const char *scheme = g_uri_peek_scheme (path);   /* interned */

  if (scheme != NULL && !g_str_equal (scheme, "file"))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” is not a file on this computer. Give its path, such as /home/you/Videos/clip.mp4."),
                   path);
      return NULL;
    }

  if (g_str_has_prefix (path, "~/"))
    return g_file_new_build_filename (g_get_home_dir (), path + 2, NULL);

  return g_file_new_for_commandline_arg (path);
}

static void
mcp_progress (const TtdUploadProgress *progress,
              gpointer                 user_data)
{
  Mcp *mcp = user_data;
  g_autoptr(JsonObject) message = NULL;
  JsonObject *params;
  g_autofree char *text = NULL;

  cli_print_progress (progress, mcp->cli);

  if (mcp->progress_token == NULL)
    return;

  text = cli_describe_progress (progress);
  if (text == NULL || g_strcmp0 (text, mcp->last_progress) == 0)
    return;

  message = rpc_message_new ();
  params = json_object_new ();
  json_object_set_string_member (message, "method", "notifications/progress");
  json_object_set_member (params, "progressToken", json_node_copy (mcp->progress_token));
  json_object_set_int_member (params, "progress", ++mcp->progress_count);
  json_object_set_string_member (params, "message", text);
  json_object_set_object_member (message, "params", params);
  mcp_write_object (mcp, message);

  g_free (mcp->last_progress);
  mcp->last_progress = g_steal_pointer (&text);
}

/* What became of a draft, as a sentence; @failed says whether it failed. */
static char *
describe_draft (const char *publish_id,
                const char *status,
                const char *fail_reason,
                gboolean   *failed)
{
  int code;
  char *message = cli_describe_publish (publish_id, status, fail_reason, TRUE, &code);

  *failed = code == EXIT_FAILED;
  if (code == EXIT_PENDING)
    {
      g_free (message);
      message = g_strdup_printf (_("TikTok is still processing the draft. Ask again in a minute with draft_status (publish ID %s)."),
                                 publish_id);
    }

  return message;
}

static JsonObject *
draft_object (const char *publish_id,
              const char *status,
              const char *fail_reason,
              const char *message)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "publish_id", publish_id);
  json_object_set_string_member (object, "status", status);
  if (fail_reason != NULL)
    json_object_set_string_member (object, "fail_reason", fail_reason);
  json_object_set_string_member (object, "message", message);

  return object;
}

/* Sends a queued item for @account as “upload” and “slideshow” do (waiting
 * for TikTok to process it) and says what became of it. */
static JsonObject *
send_queued (Mcp           *mcp,
             TtdAccount    *account,
             TtdQueue      *queue,
             TtdQueueItem  *item,
             char         **text,
             GError       **error)
{
  g_autoptr(TtdUploadResult) result = NULL;
  g_autofree char *message = NULL;
  gboolean failed;
  JsonObject *object;

  /* The item was queued for @account: cli_send_item() sends it there. */
  result = cli_send_item (mcp->cli, queue, item->id, TRUE, mcp_progress, mcp, error);
  if (result == NULL)
    return NULL;

  message = describe_draft (result->publish_id, result->status, result->fail_reason, &failed);
  if (failed)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_PUBLISH_FAILED, "%s", message);
      return NULL;
    }

  *text = g_strdup_printf ("%s\n%s: %s\n%s: %s\n%s: %s", message,
                           _("Publish ID"), result->publish_id,
                           _("Queue item"), item->id,
                           _("Status"), result->status ? result->status : "-");
  object = draft_object (result->publish_id, result->status, NULL, message);
  json_object_set_string_member (object, "item_id", item->id);

  return object;
}

static JsonObject *
tool_send_video (Mcp         *mcp,
                 JsonObject  *args,
                 char       **text,
                 GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(TtdQueue) queue = NULL;
  g_autoptr(TtdQueueItem) item = NULL;
  g_autofree char *open_id = NULL;
  TtdAccount *account;

  account = mcp_resolve_account (mcp, member_string (args, "account"), error);
  if (account == NULL)
    return NULL;

  /* Checked before it is queued, so a wrong file leaves nothing behind. */
  file = file_for_argument (member_string (args, "path"), error);
  if (file == NULL || !ttd_media_check_video (file, NULL, NULL, mcp->cli->cancellable, error))
    return NULL;

  queue = ttd_queue_new (NULL);
  open_id = ttd_account_dup_open_id (account);
  item = ttd_queue_add_video (queue, file, open_id, error);
  if (item == NULL)
    return NULL;

  return send_queued (mcp, account, queue, item, text, error);
}

static JsonObject *
tool_send_slideshow (Mcp         *mcp,
                     JsonObject  *args,
                     char       **text,
                     GError     **error)
{
  g_autoptr(TtdSlideshow) slideshow = ttd_slideshow_new ();
  JsonArray *paths = member_array (args, "paths");
  JsonNode *cover = json_object_get_member (args, "cover");
  gint64 cover_index = 0;
  g_autoptr(TtdQueue) queue = NULL;
  g_autoptr(TtdQueueItem) item = NULL;
  g_autofree char *open_id = NULL;
  TtdAccount *account;

  for (guint i = 0; i < json_array_get_length (paths); i++)
    {
      GFile *image = file_for_argument (json_array_get_string_element (paths, i), error);

      if (image == NULL)
        return NULL;
      g_ptr_array_add (slideshow->images, image);
    }
  slideshow->title = g_strdup (member_string (args, "title"));
  slideshow->description = g_strdup (member_string (args, "description"));
  if (cover != NULL && !JSON_NODE_HOLDS_NULL (cover))
    node_get_whole (cover, &cover_index);
  slideshow->cover_index = (guint) CLAMP (cover_index, 0, G_MAXUINT);

  if (!ttd_slideshow_check (slideshow, error))
    return NULL;

  account = mcp_resolve_account (mcp, member_string (args, "account"), error);
  if (account == NULL || !ttd_photo_host_check (mcp->cli->config, error))
    return NULL;

  queue = ttd_queue_new (NULL);
  open_id = ttd_account_dup_open_id (account);
  item = cli_queue_slideshow (queue, slideshow, open_id, error);
  if (item == NULL)
    return NULL;

  return send_queued (mcp, account, queue, item, text, error);
}

static JsonObject *
tool_draft_status (Mcp         *mcp,
                   JsonObject  *args,
                   char       **text,
                   GError     **error)
{
  const char *publish_id = member_string (args, "publish_id");
  g_autoptr(TtdPublishStatus) status = NULL;
  g_autofree char *message = NULL;
  TtdAccount *account;
  gboolean failed;

  account = mcp_resolve_account (mcp, member_string (args, "account"), error);
  if (account == NULL)
    return NULL;

  status = ttd_account_fetch_status (account, publish_id, mcp->cli->cancellable, error);
  if (status == NULL)
    return NULL;

  /* A failed draft is an answer, not a failure of the tool. */
  message = describe_draft (publish_id, status->status, status->fail_reason, &failed);
  *text = g_strdup_printf ("%s\n%s: %s\n%s: %s", message,
                           _("Publish ID"), publish_id,
                           _("Status"), status->status ? status->status : "-");

  return draft_object (publish_id, status->status, status->fail_reason, message);
}

static JsonObject *
tool_list_queue (Mcp         *mcp,
                 JsonObject  *args,
                 char       **text,
                 GError     **error)
{
  g_autoptr(TtdQueue) queue = ttd_queue_new (NULL);
  g_autoptr(GPtrArray) items = ttd_queue_list (queue, error);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  if (items == NULL)
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  cli_add_queue_items (builder, items);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  object = json_object_ref (json_node_get_object (root));
  *text = object_to_text (object);

  return object;
}

static JsonObject *
tool_list_accounts (Mcp         *mcp,
                    JsonObject  *args,
                    char       **text,
                    GError     **error)
{
  g_autoptr(GPtrArray) infos = NULL;
  JsonObject *object;
  JsonArray *accounts;

  if (!mcp_check_setup (mcp, error))
    return NULL;

  infos = ttd_accounts_list (cli_get_accounts (mcp->cli), mcp->cli->cancellable, error);
  if (infos == NULL)
    return NULL;

  accounts = json_array_new ();
  for (guint i = 0; i < infos->len; i++)
    {
      TtdAccountInfo *info = g_ptr_array_index (infos, i);
      JsonObject *account = json_object_new ();

      json_object_set_string_member (account, "open_id", info->open_id);
      if (info->display_name != NULL)
        json_object_set_string_member (account, "display_name", info->display_name);
      else
        json_object_set_null_member (account, "display_name");
      json_object_set_boolean_member (account, "default", info->is_default);
      json_array_add_object_element (accounts, account);
    }

  object = json_object_new ();
  json_object_set_array_member (object, "accounts", accounts);
  *text = object_to_text (object);

  return object;
}

#define ACCOUNT_PROPERTY \
  "\"account\":{\"type\":\"string\",\"description\":\"Which signed-in TikTok account: its open_id or " \
  "display name, as list_accounts gives them. Left out: the default account.\"}"

static const Tool tools[] = {
  {
    "send_video", "Send a video to TikTok drafts",
    "Sends a video file on this computer to the creator's TikTok inbox as a draft. It is never "
    "posted: the creator finishes and posts it in the TikTok app. Answers once TikTok has the draft "
    "(this can take a while for a big file), with the publish ID, the queue item and TikTok's status.",
    "{\"type\":\"object\",\"properties\":{"
      "\"path\":{\"type\":\"string\",\"description\":\"The video file: an absolute path (or ~/…). MP4, "
      "MOV or WebM, at most 4 GB and 10 minutes.\"},"
      ACCOUNT_PROPERTY
    "},\"required\":[\"path\"],\"additionalProperties\":false}",
    FALSE, tool_send_video,
  },
  {
    "send_slideshow", "Send photos to TikTok drafts as a slideshow",
    "Sends photos on this computer to the creator's TikTok inbox as one slideshow draft, never posted "
    "directly. The photos are converted to JPEG and put on the photo host set up in TikTok Drafts, "
    "where TikTok fetches them. Answers once TikTok has the draft, with the publish ID and status.",
    "{\"type\":\"object\",\"properties\":{"
      "\"paths\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":1,\"maxItems\":35,"
      "\"description\":\"The photos in order, as absolute paths (or ~/…): JPEG, PNG, WebP, HEIF and "
      "other pictures.\"},"
      "\"title\":{\"type\":\"string\",\"description\":\"The title, at most 90 characters (an emoji "
      "counts as two); may be empty.\"},"
      "\"description\":{\"type\":\"string\",\"description\":\"The description, at most 4000 "
      "characters; hashtags allowed; may be empty.\"},"
      "\"cover\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"Which photo is the cover, "
      "counting from 0. Left out: 0.\"},"
      ACCOUNT_PROPERTY
    "},\"required\":[\"paths\",\"title\",\"description\"],\"additionalProperties\":false}",
    FALSE, tool_send_slideshow,
  },
  {
    "draft_status", "TikTok's status for a draft",
    "Asks TikTok what became of a draft sent earlier. SEND_TO_USER_INBOX means it is waiting in the "
    "creator's TikTok inbox; FAILED comes with the reason.",
    "{\"type\":\"object\",\"properties\":{"
      "\"publish_id\":{\"type\":\"string\",\"description\":\"The publish ID that send_video or "
      "send_slideshow gave.\"},"
      ACCOUNT_PROPERTY
    "},\"required\":[\"publish_id\"],\"additionalProperties\":false}",
    TRUE, tool_draft_status,
  },
  {
    "list_queue", "What is queued",
    "Lists what TikTok Drafts has queued and not yet delivered to the inbox (from this server, the "
    "command line and the app): each item's id, kind, state, files, publish ID and error.",
    "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}",
    TRUE, tool_list_queue,
  },
  {
    "list_accounts", "The signed-in TikTok accounts",
    "Lists the signed-in TikTok accounts drafts can be sent to: open_id, display name and which is the "
    "default. Empty when nobody is signed in (run “tiktok-drafts-cli auth” then).",
    "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}",
    TRUE, tool_list_accounts,
  },
};

static const Tool *
find_tool (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    if (g_str_equal (tools[i].name, name))
      return &tools[i];

  return NULL;
}

static JsonObject *
tool_schema (const Tool *tool)
{
  g_autoptr(JsonNode) node = json_from_string (tool->input_schema, NULL);

  g_assert (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* Whether @value is what @property (a piece of the tool's input schema:
 * string, integer with a minimum, array of strings) describes. */
static gboolean
value_matches (JsonNode   *value,
               JsonObject *property)
{
  const char *type = member_string (property, "type");
  gint64 number;

  if (g_strcmp0 (type, "string") == 0)
    return JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING;

  if (g_strcmp0 (type, "integer") == 0)
    return node_get_whole (value, &number) &&
           (!json_object_has_member (property, "minimum") ||
            number >= json_object_get_int_member (property, "minimum"));

  if (g_strcmp0 (type, "array") == 0)
    {
      JsonObject *items = member_object (property, "items");
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (value))
        return FALSE;
      array = json_node_get_array (value);
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!value_matches (json_array_get_element (array, i), items))
          return FALSE;
      return TRUE;
    }

  return FALSE;
}

/* The arguments checked against the tool's input schema, so that the tools
 * read them without a second look. A null counts as left out. */
static gboolean
check_arguments (const Tool  *tool,
                 JsonObject  *schema,
                 JsonObject  *args,
                 GError     **error)
{
  JsonObject *properties = member_object (schema, "properties");
  JsonArray *required = member_array (schema, "required");
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  for (guint i = 0; required != NULL && i < json_array_get_length (required); i++)
    {
      const char *needed = json_array_get_string_element (required, i);
      JsonNode *given = json_object_get_member (args, needed);

      if (given == NULL || JSON_NODE_HOLDS_NULL (given))
        {
          g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_PARAMS,
                       /* Translators: a tool's name (send_video), then an argument's (path);
                          both stay as they are: the agent calls them by these names */
                       _("%s needs the argument “%s”."), tool->name, needed);
          return FALSE;
        }
    }

  json_object_iter_init (&iter, args);
  while (json_object_iter_next (&iter, &name, &value))
    {
      JsonObject *property = member_object (properties, name);
      const char *type;

      if (property == NULL)
        {
          g_autoptr(GList) names = json_object_get_members (properties);
          g_autoptr(GString) list = g_string_new (NULL);

          for (GList *l = names; l != NULL; l = l->next)
            g_string_append_printf (list, "%s%s", list->len ? ", " : "", (const char *) l->data);
          if (list->len > 0)
            g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_PARAMS,
                         /* Translators: a tool's name, the argument given, the tool's
                            arguments separated by commas; the names stay as they are */
                         _("%s has no argument “%s”; its arguments are %s."), tool->name, name, list->str);
          else
            g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_PARAMS,
                         _("%s takes no arguments, but was given “%s”."), tool->name, name);
          return FALSE;
        }

      if (JSON_NODE_HOLDS_NULL (value) || value_matches (value, property))
        continue;

      type = member_string (property, "type");
      if (g_strcmp0 (type, "integer") == 0)
        g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_PARAMS,
                     _("The argument “%s” must be a whole number, 0 or more."), name);
      else if (g_strcmp0 (type, "array") == 0)
        g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_PARAMS,
                     _("The argument “%s” must be a list of file names."), name);
      else
        g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_PARAMS,
                     _("The argument “%s” must be a string."), name);
      return FALSE;
    }

  return TRUE;
}

/* --- the methods ---------------------------------------------------------- */

typedef JsonObject *(*MethodFunc) (Mcp         *mcp,
                                   JsonObject  *params,
                                   GError     **error);

static JsonObject *
method_initialize (Mcp         *mcp,
                   JsonObject  *params,
                   GError     **error)
{
  const char *asked = member_string (params, "protocolVersion");
  const char *version = MCP_PROTOCOL_VERSION;
  JsonObject *client = member_object (params, "clientInfo");
  JsonObject *result, *capabilities, *server;

  if (asked == NULL)
    {
      g_set_error_literal (error, RPC_ERROR, RPC_INVALID_PARAMS,
                           _("initialize needs the protocolVersion the client speaks."));
      return NULL;
    }

  /* A version we speak is answered with itself; any other with ours. */
  for (guint i = 0; i < G_N_ELEMENTS (other_protocol_versions); i++)
    if (g_str_equal (asked, other_protocol_versions[i]))
      version = other_protocol_versions[i];

  g_debug ("MCP: %s asks for protocol %s, answering %s",
           member_string (client, "name") ? member_string (client, "name") : "a client", asked, version);

  result = json_object_new ();
  json_object_set_string_member (result, "protocolVersion", version);
  capabilities = json_object_new ();
  json_object_set_object_member (capabilities, "tools", json_object_new ());
  json_object_set_object_member (result, "capabilities", capabilities);
  server = json_object_new ();
  json_object_set_string_member (server, "name", "tiktok-drafts");
  json_object_set_string_member (server, "title", "TikTok Drafts");
  json_object_set_string_member (server, "version", PACKAGE_VERSION);
  json_object_set_object_member (result, "serverInfo", server);
  json_object_set_string_member (result, "instructions",
                                 "Sends videos and photo slideshows to the signed-in creator's TikTok "
                                 "inbox as drafts. Nothing is ever posted: the creator finishes and "
                                 "posts each draft in the TikTok app.");

  return result;
}

static JsonObject *
method_ping (Mcp         *mcp,
             JsonObject  *params,
             GError     **error)
{
  return json_object_new ();
}

static JsonObject *
method_tools_list (Mcp         *mcp,
                   JsonObject  *params,
                   GError     **error)
{
  JsonObject *result = json_object_new ();
  JsonArray *list = json_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      JsonObject *tool = json_object_new ();
      JsonObject *annotations = json_object_new ();

      json_object_set_string_member (tool, "name", tools[i].name);
      json_object_set_string_member (tool, "title", tools[i].title);
      json_object_set_string_member (tool, "description", tools[i].description);
      json_object_set_object_member (tool, "inputSchema", tool_schema (&tools[i]));
      json_object_set_boolean_member (annotations, "readOnlyHint", tools[i].read_only);
      json_object_set_boolean_member (annotations, "destructiveHint", FALSE);
      json_object_set_boolean_member (annotations, "idempotentHint", tools[i].read_only);
      json_object_set_boolean_member (annotations, "openWorldHint", TRUE);
      json_object_set_object_member (tool, "annotations", annotations);
      json_array_add_object_element (list, tool);
    }
  json_object_set_array_member (result, "tools", list);

  return result;
}

static JsonObject *
method_tools_call (Mcp         *mcp,
                   JsonObject  *params,
                   GError     **error)
{
  const char *name = member_string (params, "name");
  JsonNode *args_node = params ? json_object_get_member (params, "arguments") : NULL;
  JsonNode *token = NULL;
  JsonObject *meta = member_object (params, "_meta");
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(JsonObject) schema = NULL;
  g_autoptr(JsonObject) structured = NULL;
  g_autoptr(GError) tool_error = NULL;
  g_autofree char *text = NULL;
  JsonObject *result, *content;
  JsonArray *contents;
  const Tool *tool;
  gboolean failed;

  if (name == NULL)
    {
      g_set_error_literal (error, RPC_ERROR, RPC_INVALID_PARAMS,
                           _("tools/call needs the name of a tool."));
      return NULL;
    }

  tool = find_tool (name);
  if (tool == NULL)
    {
      g_set_error (error, RPC_ERROR, RPC_INVALID_PARAMS,
                   _("There is no tool called “%s”. Ask tools/list for the tools."), name);
      return NULL;
    }

  if (args_node == NULL || JSON_NODE_HOLDS_NULL (args_node))
    args = json_object_new ();
  else if (JSON_NODE_HOLDS_OBJECT (args_node))
    args = json_object_ref (json_node_get_object (args_node));
  else
    {
      g_set_error_literal (error, RPC_ERROR, RPC_INVALID_PARAMS,
                           _("The arguments of a tool must be a JSON object."));
      return NULL;
    }

  if (meta != NULL)
    token = json_object_get_member (meta, "progressToken");
  g_clear_pointer (&mcp->progress_token, json_node_unref);
  g_clear_pointer (&mcp->last_progress, g_free);
  if (token != NULL && node_is_id (token))
    mcp->progress_token = json_node_copy (token);

  g_debug ("MCP: tool %s", tool->name);
  schema = tool_schema (tool);
  if (check_arguments (tool, schema, args, &tool_error))
    structured = tool->func (mcp, args, &text, &tool_error);

  g_clear_pointer (&mcp->progress_token, json_node_unref);

  failed = structured == NULL;
  result = json_object_new ();
  contents = json_array_new ();
  content = json_object_new ();
  json_object_set_string_member (content, "type", "text");
  json_object_set_string_member (content, "text",
                                 structured != NULL ? (text ? text : "")
                                                    : (tool_error ? tool_error->message : _("The tool failed.")));
  json_array_add_object_element (contents, content);
  json_object_set_array_member (result, "content", contents);
  if (structured != NULL)
    json_object_set_object_member (result, "structuredContent", g_steal_pointer (&structured));
  else if (tool_error != NULL)
    g_printerr ("%s\n", tool_error->message);
  json_object_set_boolean_member (result, "isError", failed);

  return result;
}

static const struct
{
  const char *name;
  MethodFunc  func;
} methods[] = {
  { "initialize", method_initialize },
  { "ping", method_ping },
  { "tools/list", method_tools_list },
  { "tools/call", method_tools_call },
};

/* One line from the client: a request (answered), a notification or a
 * response (neither is). */
static void
mcp_handle (Mcp        *mcp,
            const char *line,
            gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) result = NULL;
  JsonObject *message, *params = NULL;
  JsonNode *id = NULL, *params_node;
  const char *method;

  if (!g_utf8_validate_len (line, length, NULL))
    {
      mcp_reply_error (mcp, NULL, RPC_PARSE_ERROR, _("The message is not UTF-8 text."));
      return;
    }

  root = ttd_json_parse_bounded (line, length, MCP_MESSAGE_MAX, &error);
  if (root == NULL)
    {
      /* A blank line has no root and no error: nothing to answer. */
      if (error != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("The message is not JSON (%s)."), error->message);

          mcp_reply_error (mcp, NULL, RPC_PARSE_ERROR, text);
        }
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      mcp_reply_error (mcp, NULL, RPC_INVALID_REQUEST,
                       _("A message must be one JSON-RPC 2.0 object; MCP has no batches."));
      return;
    }

  message = json_node_get_object (root);
  id = json_object_get_member (message, "id");
  if (id != NULL && !node_is_id (id))
    {
      mcp_reply_error (mcp, NULL, RPC_INVALID_REQUEST, _("A request's id must be a string or a number."));
      return;
    }

  method = member_string (message, "method");
  if (method == NULL && id != NULL &&
      (json_object_has_member (message, "result") || json_object_has_member (message, "error")))
    return;   /* a response: this server sends no requests, so it is nobody's */

  if (g_strcmp0 (member_string (message, "jsonrpc"), "2.0") != 0 || method == NULL)
    {
      mcp_reply_error (mcp, id, RPC_INVALID_REQUEST,
                       _("A message must have “jsonrpc”: “2.0” and a method."));
      return;
    }

  params_node = json_object_get_member (message, "params");
  if (params_node != NULL && JSON_NODE_HOLDS_OBJECT (params_node))
    params = json_node_get_object (params_node);
  else if (params_node != NULL && !JSON_NODE_HOLDS_NULL (params_node))
    {
      if (id != NULL)
        mcp_reply_error (mcp, id, RPC_INVALID_PARAMS, _("The params must be a JSON object."));
      return;
    }

  /* Notifications (notifications/initialized, notifications/cancelled, …)
   * need nothing from this server: a request is answered before the next
   * is read, so there is nothing to cancel. */
  if (id == NULL)
    {
      g_debug ("MCP: notification %s", method);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (g_str_equal (methods[i].name, method))
      {
        result = methods[i].func (mcp, params, &error);
        if (result != NULL)
          mcp_reply_result (mcp, id, result);
        else
          mcp_reply_error (mcp, id, error->domain == RPC_ERROR ? error->code : RPC_INTERNAL_ERROR,
                           error->message);
        return;
      }

  {
    g_autofree char *text = g_strdup_printf (_("There is no method “%s” here."), method);

    mcp_reply_error (mcp, id, RPC_METHOD_NOT_FOUND, text);
  }
}

/* MCP clients start servers with a few variables only (the SDK passes
 * HOME, LOGNAME, PATH, SHELL, TERM and USER), so the session bus, and with
 * it the keyring, would not be found: look where systemd puts it. */
static void
find_session_bus (void)
{
  g_autofree char *runtime_dir = NULL;
  g_autofree char *bus = NULL;
  struct stat info;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL || g_getenv ("XDG_RUNTIME_DIR") != NULL)
    return;

  runtime_dir = g_strdup_printf ("/run/user/%u", (guint) getuid ());
  bus = g_build_filename (runtime_dir, "bus", NULL);
  if (lstat (bus, &info) == 0 && S_ISSOCK (info.st_mode) && info.st_uid == getuid ())
    {
      g_debug ("MCP: no session bus address given; using %s", bus);
      g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
    }
}

int
cli_cmd_mcp (Cli    *cli,
             int     argc,
             char  **argv)
{
  Mcp mcp = { cli, -1, };
  char *line;
  gsize length;
  gboolean too_long;

  if (!cli_parse_options (cli, "mcp", NULL,
                          _("Serves the Model Context Protocol on standard input and output, so that AI "
                            "agents and other programs can send drafts. Tools: send_video, "
                            "send_slideshow, draft_status, list_queue and list_accounts. Nothing is ever "
                            "posted directly."),
                          NULL, &argc, &argv))
    return cli->exit_code;

  if (argc > 1)
    return cli_fail_usage (cli, _("“mcp” takes no arguments; an MCP client starts it and talks to it."));

  /* Standard output carries JSON-RPC only: the messages go to a copy of
   * it, and whatever else writes to standard output writes to stderr. */
  mcp.out_fd = fcntl (STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  if (mcp.out_fd < 0 || dup2 (STDERR_FILENO, STDOUT_FILENO) < 0)
    {
      g_printerr (_("Could not set up standard output (%s).\n"), g_strerror (errno));
      return EXIT_FAILED;
    }
  /* A client that goes away is noticed by write(), not by a signal. */
  signal (SIGPIPE, SIG_IGN);

  mcp.input = g_byte_array_new ();
  find_session_bus ();
  if (!cli_prepare_account (cli, FALSE, &mcp.setup_error))
    g_printerr ("%s\n", mcp.setup_error->message);

  while (!mcp.out_broken && (line = mcp_read_line (&mcp, &length, &too_long)) != NULL)
    {
      if (too_long)
        {
          g_autofree char *limit = g_format_size (MCP_MESSAGE_MAX);
          g_autofree char *text = g_strdup_printf (_("The message is longer than %s, which this server does not read."),
                                                   limit);

          mcp_reply_error (&mcp, NULL, RPC_PARSE_ERROR, text);
        }
      else
        mcp_handle (&mcp, line, length);
      g_free (line);

      /* Ctrl+C or SIGTERM: the request it cancelled has been answered. */
      if (g_cancellable_is_cancelled (cli->cancellable))
        break;
    }

  close (mcp.out_fd);
  g_byte_array_unref (mcp.input);
  g_clear_error (&mcp.setup_error);
  g_free (mcp.last_progress);

  return g_cancellable_is_cancelled (cli->cancellable) ? EXIT_CANCELLED : EXIT_OK;
}
