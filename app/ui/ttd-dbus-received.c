/* ttd-dbus-received.c — files other programs hand over as descriptors, copied into the cache
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SendFiles on the D-Bus API takes open files, for callers whose paths the
 * app cannot see (a sandboxed program, or a sandboxed TikTok Drafts). Each
 * one is copied into $XDG_CACHE_HOME/tiktok-drafts/received/XXXXXX/NAME
 * (folder 0700, file 0600) before it goes through the same intake as a
 * drop. Copying, rather than reading through /proc/self/fd/N, because:
 *
 *  - the queue outlives the process: a /proc/self/fd path written to
 *    queue.json would name some other open file of the next process;
 *  - the caller may close, truncate or rewrite its file at any time; the
 *    copy is ours, and the upload checks that it did not change;
 *  - only regular files are taken (no pipe or socket to block on), read
 *    with pread() from offset 0 so the caller's file offset is untouched,
 *    and refused up front when larger than TikTok accepts or when the
 *    cache has no room for them.
 *
 * The name shown is the last part of what the descriptor was opened as
 * (/proc/self/fd/N's link), cleaned of control characters; the content
 * decides what the file is. A copy is deleted once its draft is in the
 * inbox or its item is removed (ttd-dbus-service.c), and copies that no
 * queue item names any more (after a crash) are swept at start-up.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ttd-dbus-received.h"
#include "ttd-draft-session.h"

#define COPY_BLOCK      (1024 * 1024)
#define ROOM_TO_SPARE   ((guint64) 64 * 1024 * 1024)
#define NAME_MAX_BYTES  200
#define SWEEP_AGE_S     (60 * 60)   /* younger ones may be another running copy's */

static char *
received_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "tiktok-drafts", "received", NULL);
}

static void
close_fd (gpointer data)
{
  int *fd = data;

  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

/* What the caller opened, for the window to show: never a path, only its
 * last part, as UTF-8 without control characters. */
static char *
name_for_fd (int   fd,
             guint index)
{
  g_autofree char *link = g_strdup_printf ("/proc/self/fd/%d", fd);
  g_autofree char *target = g_file_read_link (link, NULL);
  g_autofree char *base = NULL;
  g_autofree char *clean = NULL;

  if (target != NULL && target[0] == '/')
    {
      if (g_str_has_suffix (target, " (deleted)"))
        target[strlen (target) - strlen (" (deleted)")] = '\0';
      base = g_path_get_basename (target);
      clean = ttd_text_clean (base, -1, FALSE);
    }

  if (clean == NULL || *clean == '\0' || *clean == '.' || strchr (clean, '/') != NULL ||
      strlen (clean) > NAME_MAX_BYTES)
    return g_strdup_printf ("file-%u", index + 1);

  return g_steal_pointer (&clean);
}

static gboolean
check_fd (int           fd,
          guint         index,
          struct stat  *st,
          const char   *base,
          GError      **error)
{
  g_autoptr(GFile) dir = g_file_new_for_path (base);
  g_autoptr(GFileInfo) info = NULL;
  int flags;

  if (fstat (fd, st) != 0)
    {
      int saved = errno;

      g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE,
                   _("File %u of the call could not be read (%s)."), index + 1, g_strerror (saved));
      return FALSE;
    }

  if (!S_ISREG (st->st_mode))
    {
      g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE,
                   _("File %u of the call is not a regular file (a pipe, a socket or a folder); "
                     "pass a file opened for reading."), index + 1);
      return FALSE;
    }

  flags = fcntl (fd, F_GETFL);
  if (flags < 0 || (flags & O_ACCMODE) == O_WRONLY)
    {
      g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE,
                   _("File %u of the call was not opened for reading."), index + 1);
      return FALSE;
    }

  if (st->st_size > TTD_VIDEO_SIZE_MAX)
    {
      g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_UNSUPPORTED,
                   _("File %u of the call is larger than 4 GB, the most TikTok accepts."), index + 1);
      return FALSE;
    }

  info = g_file_query_filesystem_info (dir, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE) &&
      g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE) <
        (guint64) st->st_size + ROOM_TO_SPARE)
    {
      g_autofree char *size = g_format_size ((guint64) st->st_size + ROOM_TO_SPARE);

      g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE,
                   _("There is no room to copy file %u of the call into the cache (%s is needed)."),
                   index + 1, size);
      return FALSE;
    }

  return TRUE;
}

static gboolean
write_all (int          out,
           const char  *data,
           gsize        length,
           GError     **error)
{
  while (length > 0)
    {
      gssize n = write (out, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE,
                       _("A file could not be copied into the cache (%s)."), g_strerror (saved));
          return FALSE;
        }
      data += n;
      length -= (gsize) n;
    }

  return TRUE;
}

/* Copies @fd into a folder of its own below @base. */
static GFile *
copy_one (int            fd,
          guint          index,
          const char    *base,
          char          *buffer,
          GCancellable  *cancellable,
          GError       **error)
{
  struct stat before, after;
  g_autofree char *template = g_build_filename (base, "XXXXXX", NULL);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  gint64 offset = 0;
  gboolean ok = TRUE;
  int out;

  if (!check_fd (fd, index, &before, base, error))
    return NULL;

  if (g_mkdtemp_full (template, 0700) == NULL)
    {
      int saved = errno;

      g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE,
                   _("A file could not be copied into the cache (%s)."), g_strerror (saved));
      return NULL;
    }

  name = name_for_fd (fd, index);
  path = g_build_filename (template, name, NULL);
  file = g_file_new_for_path (path);
  out = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (out < 0)
    {
      int saved = errno;

      g_rmdir (template);
      g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE,
                   _("A file could not be copied into the cache (%s)."), g_strerror (saved));
      return NULL;
    }

  while (ok)
    {
      gssize n = pread (fd, buffer, COPY_BLOCK, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE,
                       _("File %u of the call could not be read (%s)."), index + 1, g_strerror (saved));
          ok = FALSE;
        }
      else if (n == 0)
        break;
      else if (g_cancellable_set_error_if_cancelled (cancellable, error))
        ok = FALSE;
      else
        {
          ok = write_all (out, buffer, (gsize) n, error);
          offset += n;
          /* Growing while being read: a file still being written. */
          ok = ok && offset <= before.st_size;
        }
    }

  if (close (out) != 0 && ok)
    {
      int saved = errno;

      g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE,
                   _("A file could not be copied into the cache (%s)."), g_strerror (saved));
      ok = FALSE;
    }

  if (ok && (offset != before.st_size || fstat (fd, &after) != 0 || after.st_size != before.st_size ||
             after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
             after.st_mtim.tv_nsec != before.st_mtim.tv_nsec))
    ok = FALSE;

  if (!ok)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE,
                     _("File %u of the call changed while it was being copied; send it again once it is "
                       "written."), index + 1);
      g_unlink (path);
      g_rmdir (template);
      return NULL;
    }

  return g_steal_pointer (&file);
}

static void
delete_copies (GPtrArray *files)
{
  for (guint i = 0; i < files->len; i++)
    {
      GFile *file = g_ptr_array_index (files, i);
      g_autoptr(GFile) dir = g_file_get_parent (file);
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *dir_path = g_file_get_path (dir);

      if (!ttd_received_is_copy (file) || path == NULL || dir_path == NULL)
        continue;
      if (g_unlink (path) != 0 && errno != ENOENT)
        g_debug ("Could not delete a received copy: %s", g_strerror (errno));
      g_rmdir (dir_path);
    }
}

static void
copy_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GArray *fds = task_data;
  g_autofree char *base = received_dir ();
  g_autofree char *buffer = NULL;
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func (g_object_unref);

  if (g_mkdir_with_parents (base, 0700) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE,
                               _("A file could not be copied into the cache (%s)."), g_strerror (saved));
      return;
    }

  buffer = g_malloc (COPY_BLOCK);
  for (guint i = 0; i < fds->len; i++)
    {
      GError *error = NULL;
      GFile *copy = copy_one (g_array_index (fds, int, i), i, base, buffer, cancellable, &error);

      if (copy == NULL)
        {
          delete_copies (copies);
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (copies, copy);
      /* Done with it: the caller's file is not held open any longer than needed. */
      close_fd (&g_array_index (fds, int, i));
    }

  g_task_return_pointer (task, g_steal_pointer (&copies), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * ttd_received_copy_async:
 * @fds: (transfer full) (element-type int): open files; closed when done
 *
 * Copies each file into the cache, in a worker thread; see the top of
 * this file for the checks.
 */
void
ttd_received_copy_async (GArray              *fds,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (fds != NULL && g_array_get_element_size (fds) == sizeof (int));

  g_array_set_clear_func (fds, close_fd);
  g_task_set_source_tag (task, ttd_received_copy_async);
  g_task_set_task_data (task, fds, (GDestroyNotify) g_array_unref);
  g_task_run_in_thread (task, copy_thread);
}

/**
 * ttd_received_copy_finish:
 *
 * Returns: (transfer full) (element-type GFile): the copies, in order; on
 *   an error (in %TTD_INTAKE_ERROR, one sentence) no copy is left
 */
GPtrArray *
ttd_received_copy_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ttd_received_is_copy:
 *
 * Returns: whether @file is one of the copies made here (by its name only:
 *   no I/O)
 */
gboolean
ttd_received_is_copy (GFile *file)
{
  g_autofree char *base_path = received_dir ();
  g_autoptr(GFile) base = g_file_new_for_path (base_path);
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFile) above = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  dir = g_file_get_parent (file);
  above = dir ? g_file_get_parent (dir) : NULL;

  return above != NULL && g_file_equal (above, base);
}

/* Work nobody waits for, in a worker thread. */
static void
run_detached (gpointer         tag,
              gpointer         data,
              GDestroyNotify   destroy,
              GTaskThreadFunc  func)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, data, destroy);
  g_task_run_in_thread (task, func);
}

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  delete_copies (task_data);
  g_task_return_boolean (task, TRUE);
}

/**
 * ttd_received_delete:
 * @files: (element-type GFile): files, of which the copies made here are
 *   deleted (with their folders), in a worker thread
 */
void
ttd_received_delete (GPtrArray *files)
{
  run_detached (ttd_received_delete, g_ptr_array_ref (files), (GDestroyNotify) g_ptr_array_unref,
                delete_thread);
}

static void
sweep_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TtdQueue *queue = task_data;
  g_autofree char *base = received_dir ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) dir = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *entry;

  dir = g_dir_open (base, 0, NULL);
  if (dir == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Without the queue it is not known what is still needed: keep all. */
  items = ttd_queue_list (queue, NULL);
  if (items == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    {
      TtdQueueItem *item = g_ptr_array_index (items, i);

      for (guint j = 0; item->paths != NULL && item->paths[j] != NULL; j++)
        g_hash_table_add (named, g_path_get_dirname (item->paths[j]));
    }

  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (base, entry, NULL);
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GDir) inner = NULL;
      GStatBuf st;
      const char *name;

      if (g_lstat (path, &st) != 0 || !S_ISDIR (st.st_mode) || st.st_mtime > now - SWEEP_AGE_S ||
          g_hash_table_contains (named, path))
        continue;

      inner = g_dir_open (path, 0, NULL);
      while (inner != NULL && (name = g_dir_read_name (inner)) != NULL)
        g_ptr_array_add (files, g_file_new_build_filename (path, name, NULL));
      g_debug ("Deleting %u received file(s) no queue item needs", files->len);
      delete_copies (files);
      g_rmdir (path);
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * ttd_received_sweep:
 * @queue: the queue on disk
 *
 * Deletes, in a worker thread, the copies that no item of @queue names
 * (left behind by a crash), except those made in the last hour.
 */
void
ttd_received_sweep (TtdQueue *queue)
{
  g_return_if_fail (TTD_IS_QUEUE (queue));

  run_detached (ttd_received_sweep, g_object_ref (queue), g_object_unref, sweep_thread);
}
