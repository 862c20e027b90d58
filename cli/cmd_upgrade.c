/*
 * cmd_upgrade.c: `sanctgraph upgrade [DB]`: converts a database written by
 * an older sanctgraph to this one's format, in place, keeping the old one.
 */
#include <stdio.h>

#include "cli.h"

int cmd_upgrade(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph upgrade [DB]\n"
	"\n"
	"Converts the database DB (default: --db) from the format of an older\n"
	"sanctgraph to this one's, in place.  The new database is written beside\n"
	"the old one and checked (its pages, its state digest, its entry counts)\n"
	"before it replaces the old one in one rename, so an upgrade that is\n"
	"interrupted leaves the old database or the new one, never a mix.  The\n"
	"old database is kept as a backup in DB.formatN-backup (N its format).\n"
	"Nothing else may have the database open meanwhile.  A database of this\n"
	"format is left as it is.\n";
	char backup[4200];
	unsigned from = 0;
	gr_error err;
	const char *dir;
	if (cli_help(argc, argv, help))
		return EXIT_OK;
	if (argc > 2)
		return cli_usage(c, "expected at most one database directory");
	dir = argc == 2 ? argv[1] : c->db_dir;
	if (gr_upgrade(dir, &from, backup, sizeof backup, &err) != GR_OK) {
		cli_error(c, "%s", err.msg);
		return EXIT_ERR;
	}
	if (!backup[0]) {
		printf("%s is already in this sanctgraph's format (%u): nothing to do\n", dir, from);
		return EXIT_OK;
	}
	printf("upgraded %s from format %u to the current format; the old database is kept in %s\n", dir, from, backup);
	return EXIT_OK;
}
