/* ttd-window-dnd.c — getting media into the queue: drops, paste, Browse
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every way in hands the files to ttd_draft_session_add_files(), which
 * expands folders, judges each file by its content and says what it
 * refused; "Open With" and the command line go there from the application.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ttd-window-private.h"

static void
add_file_list (TtdWindow *self,
               GSList    *list)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);

  ttd_draft_session_add_files (self->session, (GFile **) files->pdata, files->len);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         TtdWindow     *self)
{
  GdkFileList *list;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  list = g_value_get_boxed (value);
  if (list == NULL)
    return FALSE;

  {
    g_autoptr(GSList) files = gdk_file_list_get_files (list);

    if (files == NULL)
      return FALSE;

    add_file_list (self, files);
  }

  return TRUE;
}

static void
paste_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TtdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value;

  value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (object), result, &error);
  if (value == NULL || !G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || g_value_get_boxed (value) == NULL)
    {
      _ttd_window_toast (self, _("There are no files to paste. Copy videos or pictures in Files first."));
      return;
    }

  {
    g_autoptr(GSList) files = gdk_file_list_get_files (g_value_get_boxed (value));

    add_file_list (self, files);
  }
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);

  gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, NULL,
                                  paste_cb, g_object_ref (widget));
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  g_autoptr(TtdWindow) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));

      ttd_draft_session_add_files (self->session, (GFile **) array->pdata, array->len);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
browse_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  static const char *media_types[] = {
    "video/mp4", "video/quicktime", "video/webm", "video/x-m4v",
    "image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/tiff",
  };
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) media = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) videos = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) pictures = gtk_file_filter_new ();

  gtk_file_filter_set_name (media, _("Videos and Pictures"));
  gtk_file_filter_set_name (videos, _("Videos"));
  gtk_file_filter_set_name (pictures, _("Pictures"));
  for (guint i = 0; i < G_N_ELEMENTS (media_types); i++)
    {
      gtk_file_filter_add_mime_type (media, media_types[i]);
      gtk_file_filter_add_mime_type (g_str_has_prefix (media_types[i], "video/") ? videos : pictures,
                                     media_types[i]);
    }

  chooser = gtk_file_chooser_native_new (_("Add Videos and Pictures"), GTK_WINDOW (widget),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), media);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), videos);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), pictures);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), media);

  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_ttd_window_dnd_init (TtdWindow *self)
{
  self->drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (self->drop_target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->toast_overlay),
                             GTK_EVENT_CONTROLLER (self->drop_target));
}

void
_ttd_window_dnd_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.browse", NULL, browse_action);
  gtk_widget_class_install_action (widget_class, "win.paste", NULL, paste_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.browse", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "win.paste", NULL);
}
