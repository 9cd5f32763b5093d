/* ttd-test-emulator.c — the in-process emulator fixture
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ttd-test-emulator.h"

#define FIXTURE_SCOPES "user.info.basic,video.upload"

/**
 * emulator_fixture_new_account:
 *
 * Another account object for the same user, with tokens of its own: its
 * own pacer and its own rate-limit windows at the emulator (which counts
 * per access token), but the same inbox.
 */
TtdAccount *
emulator_fixture_new_account (EmulatorFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdConfig) config = ttd_config_new ();
  g_autoptr(TtdTokenStore) store = ttd_memory_token_store_new ();
  g_autoptr(TtdTokens) tokens = g_new0 (TtdTokens, 1);
  TtdEmulatorConfig emulator_config;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  TtdAccount *account;

  ttd_emulator_config_init (&emulator_config);
  ttd_config_set (&config->api_base, ttd_emulator_get_base_url (fixture->emulator));
  ttd_config_set (&config->client_key, emulator_config.client_key);
  ttd_config_set (&config->client_secret, emulator_config.client_secret);

  ttd_emulator_issue_tokens (fixture->emulator, FIXTURE_SCOPES, &tokens->open_id,
                             &tokens->access_token, &tokens->refresh_token);
  tokens->scope = g_strdup (FIXTURE_SCOPES);
  tokens->access_expires_at = now + emulator_config.access_ttl;
  tokens->refresh_expires_at = now + emulator_config.refresh_ttl;
  g_assert_true (ttd_token_store_save (store, tokens, NULL, &error));
  g_assert_no_error (error);

  account = ttd_account_new (config, store);
  g_assert_true (ttd_account_load (account, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ttd_account_is_signed_in (account));

  return account;
}

void
emulator_fixture_setup (EmulatorFixture *fixture,
                        gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  TtdEmulatorConfig emulator_config;

  fixture->dir = g_dir_make_tmp ("ttd-test-XXXXXX", &error);
  g_assert_no_error (error);

  /* Drafts leave processing quickly: the tests wait for the inbox. */
  ttd_emulator_config_init (&emulator_config);
  emulator_config.processing_ms = 50;
  fixture->emulator = ttd_emulator_new (&emulator_config, &error);
  g_assert_no_error (error);
  ttd_emulator_start (fixture->emulator, 0, &error);
  g_assert_no_error (error);

  fixture->account = emulator_fixture_new_account (fixture);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
emulator_fixture_teardown (EmulatorFixture *fixture,
                           gconstpointer    data)
{
  g_clear_object (&fixture->account);
  g_clear_pointer (&fixture->emulator, ttd_emulator_free);
  remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

/* Writes an MP4-looking file (an ISO BMFF ftyp box, then bytes from a
 * seeded generator) of exactly @size bytes; @sha256 gets its digest. */
GFile *
emulator_fixture_write_video (EmulatorFixture  *fixture,
                              const char       *name,
                              gsize             size,
                              char            **sha256)
{
  static const guint8 ftyp[] = "\x00\x00\x00\x20" "ftypisom\x00\x00\x02\x00" "isomiso2avc1mp41";
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (size);
  g_autofree guint8 *data = g_malloc (size);
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

  g_assert_cmpuint (size, >=, sizeof ftyp - 1);
  for (gsize i = 0; i < size; i += 4)
    {
      guint32 word = g_rand_int (rand);

      memcpy (data + i, &word, MIN (4, size - i));
    }
  memcpy (data, ftyp, sizeof ftyp - 1);

  g_file_set_contents (path, (const char *) data, (gssize) size, &error);
  g_assert_no_error (error);
  if (sha256 != NULL)
    *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);

  return g_file_new_for_path (path);
}

JsonObject *
emulator_fixture_dup_state (EmulatorFixture *fixture)
{
  g_autoptr(JsonNode) state = ttd_emulator_dup_state (fixture->emulator);

  return json_object_ref (json_node_get_object (state));
}

/* The emulator's record of its @index-th draft (they are kept in order). */
JsonObject *
emulator_fixture_dup_draft (EmulatorFixture *fixture,
                            guint            index)
{
  g_autoptr(JsonObject) state = emulator_fixture_dup_state (fixture);
  JsonArray *drafts = json_object_get_array_member (state, "drafts");

  g_assert_cmpuint (json_array_get_length (drafts), >, index);
  return json_object_ref (json_array_get_object_element (drafts, index));
}

/* One of the emulator's counters, e.g. "video_inits" or "puts". */
gint64
emulator_fixture_count (EmulatorFixture *fixture,
                        const char      *name)
{
  g_autoptr(JsonObject) state = emulator_fixture_dup_state (fixture);

  return json_object_get_int_member (json_object_get_object_member (state, "counts"), name);
}
