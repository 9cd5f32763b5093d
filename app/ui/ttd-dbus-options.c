/* ttd-dbus-options.c — the options of Send and SendFiles
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An a{sv} from another program: every key is known, every value of the
 * type the interface XML gives, or the call is refused with a sentence
 * naming the option.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ttd-dbus-service-private.h"

#define SHOWN_TEXT_MAX 200

/**
 * _ttd_dbus_dup_shown:
 *
 * Returns: (transfer full): text from a caller, to quote in a sentence:
 *   without control characters, and cut short when long
 */
char *
_ttd_dbus_dup_shown (const char *text)
{
  g_autofree char *clean = ttd_text_clean (text, -1, FALSE);

  if (g_utf8_strlen (clean, -1) > SHOWN_TEXT_MAX)
    {
      g_autofree char *start = g_utf8_substring (clean, 0, SHOWN_TEXT_MAX);

      return g_strconcat (start, "…", NULL);
    }

  return g_steal_pointer (&clean);
}

void
_ttd_dbus_options_clear (TtdDbusOptions *options)
{
  g_clear_pointer (&options->account, g_free);
  g_clear_pointer (&options->title, g_free);
  g_clear_pointer (&options->description, g_free);
}

static gboolean
option_has_type (const char          *key,
                 GVariant            *value,
                 const GVariantType  *type,
                 const char          *wanted,
                 GError             **error)
{
  g_autofree char *shown = NULL;

  if (g_variant_is_of_type (value, type))
    return TRUE;

  shown = _ttd_dbus_dup_shown (key);
  g_set_error (error, TTD_DBUS_ERROR, TTD_DBUS_ERROR_INVALID_OPTION,
               /* Translators: the option's name, what it must be ("a string (s)"), the D-Bus type given */
               _("The option “%s” must be %s, not of type “%s”."),
               shown, wanted, g_variant_get_type_string (value));
  return FALSE;
}

static gboolean
parse_option (TtdDbusOptions  *options,
              const char      *key,
              GVariant        *value,
              GError         **error)
{
  if (g_str_equal (key, "account") || g_str_equal (key, "title") || g_str_equal (key, "description"))
    {
      char **field = g_str_equal (key, "account") ? &options->account
                   : g_str_equal (key, "title") ? &options->title : &options->description;

      if (!option_has_type (key, value, G_VARIANT_TYPE_STRING, _("a string (s)"), error))
        return FALSE;
      g_free (*field);
      *field = g_variant_dup_string (value, NULL);
      return TRUE;
    }

  if (g_str_equal (key, "slideshow"))
    {
      if (!option_has_type (key, value, G_VARIANT_TYPE_BOOLEAN, _("true or false (b)"), error))
        return FALSE;
      options->slideshow = g_variant_get_boolean (value);
      return TRUE;
    }

  if (g_str_equal (key, "cover"))
    {
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32) && g_variant_get_int32 (value) >= 0)
        options->cover = (guint) g_variant_get_int32 (value);
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
        options->cover = g_variant_get_uint32 (value);
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
        {
          g_set_error (error, TTD_DBUS_ERROR, TTD_DBUS_ERROR_INVALID_OPTION,
                       _("The option “cover” is the number of a photo, counted from 0; it cannot be %d."),
                       g_variant_get_int32 (value));
          return FALSE;
        }
      else
        return option_has_type (key, value, G_VARIANT_TYPE_UINT32, _("a photo's number (u or i)"), error);
      options->has_cover = TRUE;
      return TRUE;
    }

  {
    g_autofree char *shown = _ttd_dbus_dup_shown (key);

    g_set_error (error, TTD_DBUS_ERROR, TTD_DBUS_ERROR_INVALID_OPTION,
                 _("There is no option “%s”; the options are account, slideshow, title, description and cover."),
                 shown);
    return FALSE;
  }
}

/**
 * _ttd_dbus_parse_options:
 * @dict: the a{sv} of a Send or SendFiles call
 *
 * Reads the options into @options; an unknown one, one of the wrong type,
 * and a title, description or cover for videos are an error (in
 * %TTD_DBUS_ERROR, one sentence).
 */
gboolean
_ttd_dbus_parse_options (GVariant        *dict,
                         TtdDbusOptions  *options,
                         GError         **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr(GVariant) owned = value;

      if (!parse_option (options, key, value, error))
        return FALSE;
    }

  if (!options->slideshow && (options->title != NULL || options->description != NULL || options->has_cover))
    {
      g_set_error_literal (error, TTD_DBUS_ERROR, TTD_DBUS_ERROR_INVALID_OPTION,
                           _("TikTok takes a title, description and cover only for a photo slideshow; "
                             "set the option slideshow to true to send the files as one."));
      return FALSE;
    }

  return TRUE;
}
