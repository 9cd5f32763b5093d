/* ttd-dbus-service.c — org.cofndrly.TikTokDrafts.Drafts1: other programs send drafts through the app
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desktop form of the upload endpoints the old system had. The
 * application registers the object in its dbus_register vfunc, on its own
 * bus name; the introspection data is data/org.cofndrly.TikTokDrafts.Drafts1.xml,
 * compiled into the app as a GResource (GDBus checks each call's argument
 * types against it before a handler runs).
 *
 * Send and SendFiles go through the app's model as the window does: the
 * options are checked, the account is looked up (find_account_thread()),
 * the files go through the session's intake in a strict mode (the same
 * checks as a drop, all or nothing), and the new items are sent as "Send
 * to Drafts" sends, while the window shows them. Anything wrong is a D-Bus
 * error with one sentence. The options are read in ttd-dbus-options.c,
 * ListItems and ItemChanged are in ttd-dbus-items.c, the descriptor copies
 * in ttd-dbus-received.c.
 */

#include "config.h"

#include <string.h>
#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "ttd-dbus-received.h"
#include "ttd-dbus-service-private.h"

#define INTERFACE_RESOURCE "/org/cofndrly/TikTokDrafts/dbus/org.cofndrly.TikTokDrafts.Drafts1.xml"
#define ACCOUNT_WAIT_S     20    /* for the configuration to be read at start-up */

G_DEFINE_FINAL_TYPE (TtdDbusService, ttd_dbus_service, G_TYPE_OBJECT)

static const GDBusErrorEntry dbus_error_entries[] = {
  { TTD_DBUS_ERROR_FAILED, "org.cofndrly.TikTokDrafts.Error.Failed" },
  { TTD_DBUS_ERROR_INVALID_OPTION, "org.cofndrly.TikTokDrafts.Error.InvalidOption" },
  { TTD_DBUS_ERROR_NOT_SIGNED_IN, "org.cofndrly.TikTokDrafts.Error.NotSignedIn" },
  { TTD_DBUS_ERROR_UNKNOWN_ACCOUNT, "org.cofndrly.TikTokDrafts.Error.UnknownAccount" },
  { TTD_DBUS_ERROR_NO_PHOTO_HOST, "org.cofndrly.TikTokDrafts.Error.NoPhotoHost" },
};

static const GDBusErrorEntry intake_error_entries[] = {
  { TTD_INTAKE_ERROR_NOT_A_FILE, "org.cofndrly.TikTokDrafts.Error.NotAFile" },
  { TTD_INTAKE_ERROR_UNSUPPORTED, "org.cofndrly.TikTokDrafts.Error.UnsupportedFile" },
  { TTD_INTAKE_ERROR_ALREADY_QUEUED, "org.cofndrly.TikTokDrafts.Error.AlreadyQueued" },
  { TTD_INTAKE_ERROR_WRONG_KIND, "org.cofndrly.TikTokDrafts.Error.WrongKind" },
  { TTD_INTAKE_ERROR_TOO_MANY, "org.cofndrly.TikTokDrafts.Error.TooMany" },
};

GQuark
ttd_dbus_error_quark (void)
{
  static gsize quark;

  if (g_once_init_enter (&quark))
    {
      GQuark intake = TTD_INTAKE_ERROR;
      gsize dbus_quark = 0;

      for (guint i = 0; i < G_N_ELEMENTS (intake_error_entries); i++)
        g_dbus_error_register_error (intake, intake_error_entries[i].error_code,
                                     intake_error_entries[i].dbus_error_name);
      g_dbus_error_register_error_domain ("ttd-dbus-error-quark", &dbus_quark, dbus_error_entries,
                                          G_N_ELEMENTS (dbus_error_entries));
      g_once_init_leave (&quark, dbus_quark);
    }

  return (GQuark) quark;
}

/* An error as a caller gets it: in one of the registered domains, with the
 * sentence it had. Takes @error. */
static GError *
to_dbus_error (GError *error)
{
  int code = TTD_DBUS_ERROR_FAILED;
  GError *mapped;

  if (error->domain == TTD_DBUS_ERROR || error->domain == TTD_INTAKE_ERROR)
    return error;

  if (error->domain == TTD_ERROR && error->code == TTD_ERROR_SIGN_IN_REQUIRED)
    code = TTD_DBUS_ERROR_NOT_SIGNED_IN;
  else if (error->domain == TTD_ERROR && error->code == TTD_ERROR_INVALID_PARAMS)
    code = TTD_DBUS_ERROR_INVALID_OPTION;

  mapped = g_error_new_literal (TTD_DBUS_ERROR, code, error->message);
  g_error_free (error);

  return mapped;
}

/* requests */

typedef struct
{
  TtdDbusService        *self;
  GDBusMethodInvocation *invocation;
  GApplication          *app;         /* held while the call runs */
  TtdDbusOptions         options;
  GPtrArray             *files;       /* GFile */
  gboolean               copies;      /* @files are SendFiles' copies, ours to delete */
  TtdAccount            *account;     /* the account found */
  char                  *open_id;
  guint                  wait_id;     /* waiting for the configuration */
} Request;

static void
request_free (Request *request)
{
  g_clear_handle_id (&request->wait_id, g_source_remove);
  if (request->app != NULL)
    g_application_release (request->app);
  g_clear_object (&request->app);
  g_clear_object (&request->invocation);
  g_clear_object (&request->self);
  _ttd_dbus_options_clear (&request->options);
  g_clear_pointer (&request->files, g_ptr_array_unref);
  g_clear_object (&request->account);
  g_free (request->open_id);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static Request *
request_new (TtdDbusService        *self,
             GDBusMethodInvocation *invocation)
{
  Request *request = g_new0 (Request, 1);
  GApplication *app = g_application_get_default ();

  request->self = g_object_ref (self);
  request->invocation = g_object_ref (invocation);
  if (app != NULL)
    {
      request->app = g_object_ref (app);
      g_application_hold (app);
    }

  return request;
}

/* Answers with @error (taken) and ends the request. Copies made for it
 * are deleted: nothing of a refused call stays behind. */
static void
request_fail (Request *request,
              GError  *error)
{
  if (request->copies && request->files != NULL)
    ttd_received_delete (request->files);
  g_dbus_method_invocation_take_error (request->invocation, to_dbus_error (error));
  request_free (request);
}

/* accounts */

typedef struct
{
  TtdAccount  *account;
  TtdAccounts *accounts;  /* every signed-in account, or NULL */
  char        *wanted;    /* an open_id or a display name, or NULL */
} Lookup;

typedef struct
{
  char *open_id;
  char *display_name;     /* fetched for the look-up, or NULL */
} Found;

static void
lookup_free (Lookup *lookup)
{
  g_clear_object (&lookup->account);
  g_clear_object (&lookup->accounts);
  g_free (lookup->wanted);
  g_free (lookup);
}

static void
found_free (Found *found)
{
  g_free (found->open_id);
  g_free (found->display_name);
  g_free (found);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Found, found_free)

static char *
dup_open_id (TtdAccount *account)
{
  g_autoptr(TtdTokens) tokens = ttd_account_dup_tokens (account);

  return tokens ? g_strdup (tokens->open_id) : NULL;
}

/* The one place accounts are looked up: @wanted names a signed-in account
 * by its open_id or display name (TtdAccounts finds it among them all), or
 * is NULL for the account the window sends with. */
static void
find_account_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Lookup *lookup = task_data;
  g_autoptr(Found) found = g_new0 (Found, 1);
  g_autoptr(GError) error = NULL;

  if (lookup->wanted != NULL && lookup->accounts != NULL)
    {
      g_autoptr(TtdAccount) account = ttd_accounts_lookup (lookup->accounts, lookup->wanted,
                                                           cancellable, &error);

      if (account == NULL)
        {
          if (g_error_matches (error, TTD_ERROR, TTD_ERROR_NO_SUCH_ACCOUNT))
            g_task_return_new_error (task, TTD_DBUS_ERROR, TTD_DBUS_ERROR_UNKNOWN_ACCOUNT,
                                     "%s", error->message);
          else
            g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_set_object (&lookup->account, account);
    }
  else if (!ttd_account_is_signed_in (lookup->account) &&
           !ttd_account_load (lookup->account, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  found->open_id = dup_open_id (lookup->account);
  if (found->open_id == NULL)
    {
      g_task_return_new_error (task, TTD_DBUS_ERROR, TTD_DBUS_ERROR_NOT_SIGNED_IN,
                               _("Nobody is signed in to TikTok in TikTok Drafts; open it and sign in first."));
      return;
    }
  found->display_name = ttd_account_dup_display_name (lookup->account);

  /* Without the application's accounts (a service of its own, in tests)
   * only the one account is there to be named. */
  if (lookup->wanted != NULL && lookup->accounts == NULL &&
      g_strcmp0 (lookup->wanted, found->open_id) != 0 &&
      g_strcmp0 (lookup->wanted, found->display_name) != 0)
    {
      g_autofree char *shown = _ttd_dbus_dup_shown (lookup->wanted);

      g_task_return_new_error (task, TTD_DBUS_ERROR, TTD_DBUS_ERROR_UNKNOWN_ACCOUNT,
                               _("No TikTok account called “%s” is signed in. The accounts signed in are: %s."),
                               shown, found->display_name != NULL ? found->display_name : found->open_id);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&found), (GDestroyNotify) found_free);
}

static void intake_done_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data);

static void
account_found_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  TtdDbusService *self = request->self;
  Lookup *lookup = g_task_get_task_data (G_TASK (result));
  g_autoptr(Found) found = NULL;
  GError *error = NULL;
  TtdIntakeMode mode;

  found = g_task_propagate_pointer (G_TASK (result), &error);
  if (found == NULL)
    {
      request_fail (g_steal_pointer (&request), error);
      return;
    }


  request->account = g_object_ref (lookup->account);
  request->open_id = g_steal_pointer (&found->open_id);

  if (request->options.slideshow && ttd_draft_session_photo_host_problem (request->account) != NULL)
    {
      request_fail (g_steal_pointer (&request),
                    g_error_new_literal (TTD_DBUS_ERROR, TTD_DBUS_ERROR_NO_PHOTO_HOST,
                                         ttd_draft_session_photo_host_problem (request->account)));
      return;
    }

  mode = request->options.slideshow ? TTD_INTAKE_SLIDESHOW : TTD_INTAKE_VIDEOS;
  ttd_draft_session_add_files_async (self->session, (GFile **) request->files->pdata, request->files->len,
                                     mode, NULL, intake_done_cb, request);
  g_steal_pointer (&request);
}

static void
find_account (Request *request)
{
  TtdDbusService *self = request->self;
  g_autoptr(GTask) task = NULL;
  TtdAccount *account = ttd_draft_session_get_account (self->session);
  Lookup *lookup = g_new0 (Lookup, 1);

  /* The session's account is the one that sends; until the window has
   * set one, the application's. */
  lookup->account = g_object_ref (account ? account : self->account);
  lookup->wanted = g_strdup (request->options.account);
  if (ttd_draft_session_get_accounts (self->session) != NULL)
    lookup->accounts = g_object_ref (ttd_draft_session_get_accounts (self->session));

  task = g_task_new (NULL, NULL, account_found_cb, request);
  g_task_set_source_tag (task, find_account);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);
  g_task_run_in_thread (task, find_account_thread);
}

static gboolean
account_wait_cb (gpointer data)
{
  Request *request = data;

  request->wait_id = 0;
  g_ptr_array_remove (request->self->waiting, request);
  request_fail (request, g_error_new_literal (TTD_DBUS_ERROR, TTD_DBUS_ERROR_FAILED,
                                              _("TikTok Drafts is still starting; try again in a moment.")));

  return G_SOURCE_REMOVE;
}

/* Starts a request whose options and files are in place. */
static void
request_start (Request *request)
{
  TtdDbusService *self = request->self;
  g_autoptr(GError) error = NULL;

  if (request->options.slideshow)
    {
      g_autoptr(TtdSlideshow) slideshow = ttd_slideshow_new ();

      for (guint i = 0; i < request->files->len; i++)
        g_ptr_array_add (slideshow->images, g_object_ref (g_ptr_array_index (request->files, i)));
      slideshow->title = g_strdup (request->options.title);
      slideshow->description = g_strdup (request->options.description);
      slideshow->cover_index = request->options.cover;
      if (!ttd_slideshow_check_limits (slideshow, &error))
        {
          request_fail (request, g_steal_pointer (&error));
          return;
        }
    }

  if (self->session == NULL || (self->account == NULL && ttd_draft_session_get_account (self->session) == NULL))
    {
      /* The configuration is being read (at start-up): wait for it. */
      request->wait_id = g_timeout_add_seconds (ACCOUNT_WAIT_S, account_wait_cb, request);
      g_ptr_array_add (self->waiting, request);
      return;
    }

  find_account (request);
}

static void
show_window (void)
{
  GApplication *app = g_application_get_default ();

  /* Started for this call (D-Bus activation): open the window, where the
   * creator sees what is sent and which stays while it is. A window that
   * is open already is not raised. */
  if (GTK_IS_APPLICATION (app) && gtk_application_get_windows (GTK_APPLICATION (app)) == NULL)
    g_application_activate (app);
}

static void
intake_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  TtdDraftSession *session = TTD_DRAFT_SESSION (object);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) id_list = NULL;
  GError *error = NULL;

  items = ttd_draft_session_add_files_finish (session, result, &error);
  if (items == NULL)
    {
      request_fail (g_steal_pointer (&request), error);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    {
      TtdUploadItem *item = g_ptr_array_index (items, i);

      if (request->options.slideshow)
        {
          ttd_upload_item_set_title (item, request->options.title);
          ttd_upload_item_set_description (item, request->options.description);
          ttd_upload_item_set_cover_index (item, request->options.cover);
        }
      /* The item goes to the account asked for, whatever the window shows. */
      ttd_upload_item_set_open_id (item, request->open_id);
      g_strv_builder_add (ids, ttd_draft_session_get_item_id (item));
    }

  if (ttd_draft_session_get_account (session) == NULL)
    ttd_draft_session_set_account (session, request->account);

  if (!ttd_draft_session_send_items (session, (TtdUploadItem **) items->pdata, items->len, &error))
    {
      /* All or nothing: what could not be sent is not left queued. */
      for (guint i = 0; i < items->len; i++)
        ttd_draft_session_remove_item (session, g_ptr_array_index (items, i));
      request_fail (g_steal_pointer (&request), error);
      return;
    }

  /* The copies belong to the items now. */
  request->copies = FALSE;
  show_window ();

  id_list = g_strv_builder_end (ids);
  g_dbus_method_invocation_return_value (request->invocation, g_variant_new ("(^as)", id_list));
}

/* methods */

static GFile *
file_for_uri (const char  *text,
              GError     **error)
{
  g_autofree char *hostname = NULL;
  g_autofree char *path = NULL;
  g_autofree char *shown = NULL;

  if (g_path_is_absolute (text))
    return g_file_new_for_path (text);

  if (g_strcmp0 (g_uri_peek_scheme (text), "file") == 0)
    path = g_filename_from_uri (text, &hostname, NULL);
  if (path != NULL && (hostname == NULL || g_str_equal (hostname, "localhost")))
    return g_file_new_for_path (path);

  shown = _ttd_dbus_dup_shown (text);
  g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE,
               _("“%s” is not a file on this computer; give a file:// URI or an absolute path."), shown);
  return NULL;
}

static gboolean
check_count (guint     n,
             GError  **error)
{
  if (n == 0)
    {
      g_set_error_literal (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE,
                           _("No files were given."));
      return FALSE;
    }
  if (n > TTD_RECEIVED_MAX_FILES)
    {
      g_set_error (error, TTD_DBUS_ERROR, TTD_DBUS_ERROR_INVALID_OPTION,
                   _("At most %d files can be sent in one call."), TTD_RECEIVED_MAX_FILES);
      return FALSE;
    }

  return TRUE;
}

static void
handle_send (TtdDbusService        *self,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation)
{
  g_autoptr(Request) request = request_new (self, invocation);
  g_autofree const char **uris = NULL;
  g_autoptr(GVariant) options = NULL;
  GError *error = NULL;

  g_variant_get (parameters, "(^a&s@a{sv})", &uris, &options);
  if (!_ttd_dbus_parse_options (options, &request->options, &error) ||
      !check_count (g_strv_length ((char **) uris), &error))
    {
      request_fail (g_steal_pointer (&request), error);
      return;
    }

  request->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; uris[i] != NULL; i++)
    {
      GFile *file = file_for_uri (uris[i], &error);

      if (file == NULL)
        {
          request_fail (g_steal_pointer (&request), error);
          return;
        }
      g_ptr_array_add (request->files, file);
    }

  request_start (g_steal_pointer (&request));
}

static void
copied_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  GError *error = NULL;

  request->files = ttd_received_copy_finish (result, &error);
  if (request->files == NULL)
    {
      request_fail (g_steal_pointer (&request), error);
      return;
    }
  request->copies = TRUE;

  request_start (g_steal_pointer (&request));
}

static void
handle_send_files (TtdDbusService        *self,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation)
{
  g_autoptr(Request) request = request_new (self, invocation);
  GUnixFDList *fd_list = g_dbus_message_get_unix_fd_list (g_dbus_method_invocation_get_message (invocation));
  g_autoptr(GVariant) handles = NULL;
  g_autoptr(GVariant) options = NULL;
  g_autoptr(GArray) fds = g_array_new (FALSE, FALSE, sizeof (int));
  GError *error = NULL;
  gsize n_handles = 0;
  const gint32 *handle;

  g_variant_get (parameters, "(@ah@a{sv})", &handles, &options);
  handle = g_variant_get_fixed_array (handles, &n_handles, sizeof (gint32));
  if (!_ttd_dbus_parse_options (options, &request->options, &error) || !check_count ((guint) n_handles, &error))
    {
      request_fail (g_steal_pointer (&request), error);
      return;
    }

  for (gsize i = 0; i < n_handles; i++)
    {
      int fd = -1;

      if (fd_list != NULL && handle[i] >= 0 && handle[i] < g_unix_fd_list_get_length (fd_list))
        fd = g_unix_fd_list_get (fd_list, handle[i], NULL);
      if (fd < 0)
        {
          for (guint j = 0; j < fds->len; j++)
            close (g_array_index (fds, int, j));
          request_fail (g_steal_pointer (&request),
                        g_error_new (TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE,
                                     _("File %u of the call is not among the file descriptors sent with it."),
                                     (guint) i + 1));
          return;
        }
      g_array_append_val (fds, fd);
    }

  ttd_received_copy_async (g_steal_pointer (&fds), NULL, copied_cb, g_steal_pointer (&request));
}

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  TtdDbusService *self = user_data;

  if (g_str_equal (method_name, "Send"))
    handle_send (self, parameters, invocation);
  else if (g_str_equal (method_name, "SendFiles"))
    handle_send_files (self, parameters, invocation);
  else if (g_str_equal (method_name, "ListItems"))
    g_dbus_method_invocation_return_value (invocation, _ttd_dbus_list_items (self));
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "No method %s", method_name);
}

static const GDBusInterfaceVTable vtable = { method_call_cb, NULL, NULL, { 0 } };

static GDBusInterfaceInfo *
interface_info (GError **error)
{
  static GDBusNodeInfo *node;

  if (node == NULL)
    {
      g_autoptr(GBytes) xml = g_resources_lookup_data (INTERFACE_RESOURCE, 0, error);

      if (xml == NULL)
        return NULL;
      node = g_dbus_node_info_new_for_xml (g_bytes_get_data (xml, NULL), error);
      if (node == NULL)
        return NULL;
    }

  return g_dbus_node_info_lookup_interface (node, TTD_DBUS_INTERFACE);
}

/* the object */

static void
ttd_dbus_service_dispose (GObject *object)
{
  TtdDbusService *self = TTD_DBUS_SERVICE (object);

  ttd_dbus_service_unregister (self);
  _ttd_dbus_unwatch_all (self);
  g_clear_object (&self->session);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (ttd_dbus_service_parent_class)->dispose (object);
}

static void
ttd_dbus_service_finalize (GObject *object)
{
  TtdDbusService *self = TTD_DBUS_SERVICE (object);

  g_clear_pointer (&self->waiting, g_ptr_array_unref);

  G_OBJECT_CLASS (ttd_dbus_service_parent_class)->finalize (object);
}

static void
ttd_dbus_service_class_init (TtdDbusServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ttd_dbus_service_dispose;
  object_class->finalize = ttd_dbus_service_finalize;

  /* The error names exist before the first call needs them. */
  (void) ttd_dbus_error_quark ();
}

static void
ttd_dbus_service_init (TtdDbusService *self)
{
  /* Requests hold the service, so none is left when it goes. */
  self->waiting = g_ptr_array_new ();
}

TtdDbusService *
ttd_dbus_service_new (void)
{
  return g_object_new (TTD_TYPE_DBUS_SERVICE, NULL);
}

/**
 * ttd_dbus_service_register:
 * @connection: the application's bus connection
 *
 * Exports the object at %TTD_DBUS_OBJECT_PATH on @connection.
 */
gboolean
ttd_dbus_service_register (TtdDbusService   *self,
                           GDBusConnection  *connection,
                           GError          **error)
{
  GDBusInterfaceInfo *info;

  g_return_val_if_fail (TTD_IS_DBUS_SERVICE (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (self->registration_id == 0, FALSE);

  info = interface_info (error);
  if (info == NULL)
    return FALSE;

  self->registration_id = g_dbus_connection_register_object (connection, TTD_DBUS_OBJECT_PATH, info,
                                                             &vtable, self, NULL, error);
  if (self->registration_id == 0)
    return FALSE;

  g_set_object (&self->connection, connection);
  return TRUE;
}

void
ttd_dbus_service_unregister (TtdDbusService *self)
{
  g_return_if_fail (TTD_IS_DBUS_SERVICE (self));

  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->connection);
}

/**
 * ttd_dbus_service_set_session:
 *
 * What is queued: where Send puts files, and what ListItems and
 * ItemChanged show. Set once, at start-up; it also starts deleting the
 * descriptor copies no queue item needs any more.
 */
void
ttd_dbus_service_set_session (TtdDbusService  *self,
                              TtdDraftSession *session)
{
  g_return_if_fail (TTD_IS_DBUS_SERVICE (self));
  g_return_if_fail (TTD_IS_DRAFT_SESSION (session));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  _ttd_dbus_watch_session (self);
  ttd_received_sweep (ttd_draft_session_get_queue (session));
  ttd_dbus_service_set_account (self, self->account);
}

/**
 * ttd_dbus_service_set_account:
 * @account: (nullable): the application's account, whenever it is rebuilt
 *
 * Calls that came in while the configuration was being read go on.
 */
void
ttd_dbus_service_set_account (TtdDbusService *self,
                              TtdAccount     *account)
{
  g_autoptr(GPtrArray) waiting = NULL;

  g_return_if_fail (TTD_IS_DBUS_SERVICE (self));
  g_return_if_fail (account == NULL || TTD_IS_ACCOUNT (account));

  g_set_object (&self->account, account);
  if (account == NULL || self->session == NULL || self->waiting->len == 0)
    return;

  waiting = g_steal_pointer (&self->waiting);
  self->waiting = g_ptr_array_new ();
  for (guint i = 0; i < waiting->len; i++)
    {
      Request *request = g_ptr_array_index (waiting, i);

      g_clear_handle_id (&request->wait_id, g_source_remove);
      find_account (request);
    }
}
