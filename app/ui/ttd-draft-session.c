/* ttd-draft-session.c — what the creator has queued, and sending it
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model behind the windows, and no widget: the application has one, and
 * a window shows its items (a GListModel of TtdUploadItem), calls it for
 * what the creator does, and says what it reports in
 * #TtdDraftSession::message and #TtdDraftSession::send-finished.
 *
 * It needs GDK only for the items' thumbnails. The session is split across
 * files that share ttd-draft-session-private.h: ttd-draft-session-intake.c
 * (files and folders in), ttd-draft-session-queue.c (the queue on disk,
 * saved and restored) and ttd-draft-session-send.c (sending, one item after
 * another).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ttd-draft-session-private.h"

G_DEFINE_FINAL_TYPE (TtdDraftSession, ttd_draft_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_SENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
guint _ttd_draft_session_signals[SESSION_N_SIGNALS];

static void
ttd_draft_session_dispose (GObject *object)
{
  TtdDraftSession *self = TTD_DRAFT_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->send_cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  _ttd_draft_session_queue_dispose (self);

  g_clear_object (&self->items);
  g_clear_object (&self->queue);
  g_clear_object (&self->account);
  g_clear_object (&self->accounts);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->send_cancellable);
  self->current = NULL;

  G_OBJECT_CLASS (ttd_draft_session_parent_class)->dispose (object);
}

static void
ttd_draft_session_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TtdDraftSession *self = TTD_DRAFT_SESSION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_SENDING:
      g_value_set_boolean (value, self->sending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ttd_draft_session_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TtdDraftSession *self = TTD_DRAFT_SESSION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      ttd_draft_session_set_account (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ttd_draft_session_class_init (TtdDraftSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ttd_draft_session_dispose;
  object_class->get_property = ttd_draft_session_get_property;
  object_class->set_property = ttd_draft_session_set_property;

  /**
   * TtdDraftSession:account:
   *
   * The signed-in account that sends, or %NULL while nobody is signed in.
   */
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, TTD_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TtdDraftSession:sending:
   *
   * Whether a send is running.
   */
  properties[PROP_SENDING] =
    g_param_spec_boolean ("sending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TtdDraftSession::message:
   * @message: one or more sentences for the creator
   *
   * Something the creator should be told: files that were refused, a save
   * that failed, an item that could not be restored.
   */
  _ttd_draft_session_signals[SESSION_SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * TtdDraftSession::send-finished:
   * @n_sent: items that reached the inbox
   * @n_failed: items that failed (they say why)
   * @stopped: whether the send was stopped before its end
   */
  _ttd_draft_session_signals[SESSION_SIGNAL_SEND_FINISHED] =
    g_signal_new ("send-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_BOOLEAN);
}

static void
items_changed_cb (TtdDraftSession *self,
                  guint            position,
                  guint            removed,
                  guint            added,
                  GListModel      *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (model, i);

      _ttd_draft_session_queue_watch (self, item);
    }

  _ttd_draft_session_queue_changed (self);
}

static void
ttd_draft_session_init (TtdDraftSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->items = g_list_store_new (TTD_TYPE_UPLOAD_ITEM);
  g_signal_connect_object (self->items, "items-changed", G_CALLBACK (items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  _ttd_draft_session_queue_init (self);
}

/**
 * ttd_draft_session_new:
 * @queue: (nullable): the queue on disk; %NULL for the user's
 *
 * Returns: (transfer full): a session with nothing in it yet; call
 *   ttd_draft_session_restore() to bring back what is queued.
 */
TtdDraftSession *
ttd_draft_session_new (TtdQueue *queue)
{
  TtdDraftSession *self;

  g_return_val_if_fail (queue == NULL || TTD_IS_QUEUE (queue), NULL);

  self = g_object_new (TTD_TYPE_DRAFT_SESSION, NULL);
  self->queue = queue ? g_object_ref (queue) : ttd_queue_new (NULL);

  return self;
}

/**
 * ttd_draft_session_get_queue:
 *
 * Returns: (transfer none): the queue on disk
 */
TtdQueue *
ttd_draft_session_get_queue (TtdDraftSession *self)
{
  g_return_val_if_fail (TTD_IS_DRAFT_SESSION (self), NULL);

  return self->queue;
}

/**
 * ttd_draft_session_get_items:
 *
 * Returns: (transfer none): the videos and slideshows, #TtdUploadItem, in
 *   the order they are sent
 */
GListModel *
ttd_draft_session_get_items (TtdDraftSession *self)
{
  g_return_val_if_fail (TTD_IS_DRAFT_SESSION (self), NULL);

  return G_LIST_MODEL (self->items);
}

void
_ttd_draft_session_message (TtdDraftSession *self,
                            const char      *message)
{
  g_signal_emit (self, _ttd_draft_session_signals[SESSION_SIGNAL_MESSAGE], 0, message);
}

void
_ttd_draft_session_notify_sending (TtdDraftSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENDING]);
}

/**
 * ttd_draft_session_get_account:
 *
 * Returns: (transfer none) (nullable): the signed-in account
 */
TtdAccount *
ttd_draft_session_get_account (TtdDraftSession *self)
{
  g_return_val_if_fail (TTD_IS_DRAFT_SESSION (self), NULL);

  return self->account;
}

/**
 * ttd_draft_session_get_accounts:
 *
 * Returns: (transfer none) (nullable): every signed-in account
 */
TtdAccounts *
ttd_draft_session_get_accounts (TtdDraftSession *self)
{
  g_return_val_if_fail (TTD_IS_DRAFT_SESSION (self), NULL);

  return self->accounts;
}

/**
 * ttd_draft_session_set_accounts:
 * @accounts: (nullable): every signed-in account
 *
 * Items already sent for an account other than the current one (before a
 * switch) go on to that account through @accounts.
 */
void
ttd_draft_session_set_accounts (TtdDraftSession *self,
                                TtdAccounts     *accounts)
{
  g_return_if_fail (TTD_IS_DRAFT_SESSION (self));

  g_set_object (&self->accounts, accounts);
}

/**
 * ttd_draft_session_set_account:
 * @account: (nullable): the signed-in account, or %NULL when nobody is
 *
 * What was interrupted (by a crash or a quit) continues once an account is
 * set. A send that is running keeps the account it started with.
 */
void
ttd_draft_session_set_account (TtdDraftSession *self,
                               TtdAccount      *account)
{
  g_return_if_fail (TTD_IS_DRAFT_SESSION (self));
  g_return_if_fail (account == NULL || TTD_IS_ACCOUNT (account));

  if (!g_set_object (&self->account, account))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
  _ttd_draft_session_resume (self);
}

/**
 * ttd_draft_session_photo_host_problem:
 * @account: (nullable): an account
 *
 * Returns: (nullable): %NULL when @account can send photos; otherwise one
 *   sentence saying why not
 */
const char *
ttd_draft_session_photo_host_problem (TtdAccount *account)
{
  const TtdConfig *config;

  if (account == NULL)
    return NULL;

  config = ttd_account_get_config (account);
  if (!ttd_config_photo_host_configured (config))
    return _("TikTok fetches photos from a web address, so slideshows need a photo host of your own "
             "to put them on first; set one up in Preferences.");

  return NULL;
}

/**
 * ttd_draft_session_find_slideshow:
 *
 * Returns: (transfer none) (nullable): the first slideshow
 */
TtdUploadItem *
ttd_draft_session_find_slideshow (TtdDraftSession *self)
{
  GListModel *items;

  g_return_val_if_fail (TTD_IS_DRAFT_SESSION (self), NULL);

  items = G_LIST_MODEL (self->items);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);

      if (ttd_upload_item_get_kind (item) == TTD_UPLOAD_ITEM_SLIDESHOW)
        return item;
    }

  return NULL;
}

/**
 * ttd_draft_session_remove_item:
 * @item: a video, a slideshow, or a picture of a slideshow
 *
 * Takes @item out, unless it is being sent; a slideshow goes with its last
 * picture. The queue on disk follows shortly.
 */
void
ttd_draft_session_remove_item (TtdDraftSession *self,
                               TtdUploadItem   *item)
{
  GListModel *items;

  g_return_if_fail (TTD_IS_DRAFT_SESSION (self));
  g_return_if_fail (TTD_IS_UPLOAD_ITEM (item));

  if (ttd_upload_item_is_busy (item))
    return;

  items = G_LIST_MODEL (self->items);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) each = g_list_model_get_item (items, i);
      GListStore *images = ttd_upload_item_get_images (each);
      guint position;

      if (each == item)
        {
          g_list_store_remove (self->items, i);
          return;
        }

      if (images != NULL && !ttd_upload_item_is_busy (each) &&
          g_list_store_find (images, item, &position))
        {
          g_list_store_remove (images, position);
          if (g_list_model_get_n_items (G_LIST_MODEL (images)) == 0)
            g_list_store_remove (self->items, i);
          return;
        }
    }
}

/**
 * ttd_draft_session_clear_sent:
 *
 * Takes out what is in the TikTok inbox already.
 */
void
ttd_draft_session_clear_sent (TtdDraftSession *self)
{
  GListModel *items;

  g_return_if_fail (TTD_IS_DRAFT_SESSION (self));

  items = G_LIST_MODEL (self->items);
  for (guint i = g_list_model_get_n_items (items); i > 0; i--)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i - 1);

      if (ttd_upload_item_get_state (item) == TTD_QUEUE_STATE_DONE)
        g_list_store_remove (self->items, i - 1);
    }
}
