/* ttd-emulator-drafts.c — drafts: creation, the pending cap and the processing delay
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ttd-emulator-private.h"

/* Draft states are compared by address, so they live in one place. */
const char EMU_STATUS_UPLOAD[] = "PROCESSING_UPLOAD";
const char EMU_STATUS_DOWNLOAD[] = "PROCESSING_DOWNLOAD";
const char EMU_STATUS_INBOX[] = "SEND_TO_USER_INBOX";
const char EMU_STATUS_FAILED[] = "FAILED";

void
emu_photo_image_free (gpointer data)
{
  PhotoImage *image = data;

  g_free (image->url);
  g_free (image->sha256);
  g_free (image);
}

static void
draft_stop_processing (Draft *draft)
{
  if (draft->processing != NULL)
    {
      g_source_destroy (draft->processing);
      g_clear_pointer (&draft->processing, g_source_unref);
    }
}

void
emu_draft_free (gpointer data)
{
  Draft *draft = data;

  draft_stop_processing (draft);
  if (draft->cancellable != NULL)
    {
      g_cancellable_cancel (draft->cancellable);
      g_object_unref (draft->cancellable);
    }
  g_free (draft->publish_id);
  g_free (draft->open_id);
  g_free (draft->client_key);
  g_free (draft->upload_id);
  g_free (draft->upload_token);
  g_clear_pointer (&draft->checksum, g_checksum_free);
  g_free (draft->sha256);
  g_free (draft->content_type);
  g_clear_pointer (&draft->photo_urls, g_ptr_array_unref);
  g_clear_pointer (&draft->photo_images, g_ptr_array_unref);
  g_free (draft->title);
  g_free (draft->description);
  g_free (draft);
}


gboolean
emu_draft_is_pending (Draft  *draft,
                      gint64  now)
{
  if (draft->status == EMU_STATUS_FAILED)
    return FALSE;
  if (draft->status == EMU_STATUS_INBOX)
    return !draft->acted_on;
  if (draft->kind == KIND_VIDEO && !draft->upload_complete)
    return now < draft->upload_expires_at;
  return TRUE;
}

guint
emu_count_pending (Emulator   *self,
                   const char *open_id)
{
  gint64 now = g_get_monotonic_time ();
  guint n = 0;
  guint i;

  for (i = 0; i < self->drafts->len; i++)
    {
      Draft *draft = g_ptr_array_index (self->drafts, i);

      if (g_str_equal (draft->open_id, open_id) && emu_draft_is_pending (draft, now))
        n++;
    }

  return n;
}

Draft *
emu_draft_new (Emulator   *self,
               DraftKind   kind,
               Grant      *grant,
               const char *prefix)
{
  Draft *draft = g_new0 (Draft, 1);

  draft->emu = self;
  draft->kind = kind;
  do
    {
      g_autofree char *digits = emu_random_digits (19);

      g_free (draft->publish_id);
      draft->publish_id = g_strconcat (prefix, digits, NULL);
    }
  while (g_hash_table_contains (self->drafts_by_id, draft->publish_id));
  draft->open_id = g_strdup (grant->open_id);
  draft->client_key = g_strdup (grant->client_key);
  draft->created_at = g_get_real_time ();
  draft->photo_cover_index = -1;

  g_ptr_array_add (self->drafts, draft);
  g_hash_table_insert (self->drafts_by_id, draft->publish_id, draft);
  return draft;
}

void
emu_draft_fail (Draft      *draft,
                const char *reason)
{
  draft_stop_processing (draft);
  draft->status = EMU_STATUS_FAILED;
  draft->fail_reason = reason;
}

static gboolean
draft_processing_done_cb (gpointer data)
{
  Draft *draft = data;

  g_clear_pointer (&draft->processing, g_source_unref);
  if (draft->status == EMU_STATUS_FAILED)
    return G_SOURCE_REMOVE;

  if (draft->kind == KIND_VIDEO)
    {
      gboolean mp4 = draft->head_len >= 8 && memcmp (draft->head + 4, "ftyp", 4) == 0;
      gboolean webm = draft->head_len >= 4 && memcmp (draft->head, "\x1a\x45\xdf\xa3", 4) == 0;

      if (mp4 || webm)
        draft->status = EMU_STATUS_INBOX;
      else
        emu_draft_fail (draft, "file_format_check_failed");
    }
  else
    {
      draft->status = EMU_STATUS_INBOX;
    }

  return G_SOURCE_REMOVE;
}

void
emu_draft_start_processing (Draft *draft)
{
  /* On the emulator's own context, not the global default one. */
  draft_stop_processing (draft);
  draft->processing = g_timeout_source_new (MAX (draft->emu->processing_ms, 0));
  g_source_set_callback (draft->processing, draft_processing_done_cb, draft, NULL);
  g_source_attach (draft->processing, draft->emu->context);
}

/* Sends 403 spam_risk_too_many_pending_share when the user (or the
 * "pending-cap" fault) has no room for another draft. */
gboolean
emu_pending_gate (Emulator          *self,
                  SoupServerMessage *msg,
                  Grant             *grant)
{
  if (emu_take_fault (self, "pending-cap") ||
      emu_count_pending (self, grant->open_id) >= MAX_PENDING)
    {
      emu_send_error (msg, SOUP_STATUS_FORBIDDEN, "spam_risk_too_many_pending_share",
                      "The user has too many pending shares; they need to act on them in TikTok first.");
      return FALSE;
    }

  return TRUE;
}
