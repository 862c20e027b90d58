/*
 * upgrade.c: `upgrade` as graph/ offers it: the store's in-place format
 * conversion (store/upgrade.c), with its errors as graph errors.
 */
#include "graph_int.h"

int gr_upgrade(const char *dir, unsigned *from, char *backup, size_t bn, gr_error *err)
{
	char why[1024] = "";
	int rc = st_upgrade(dir, from, backup, bn, why, sizeof why);
	if (rc == ST_OK)
		return GR_OK;
	return gr_fail(err, rc == ST_ENODB ? GR_ENOTFOUND : rc == ST_ECORRUPT ? GR_ECORRUPT : rc == ST_ENOMEM ? GR_ENOMEM : GR_EIO,
	    "%s", why[0] ? why : st_strerror());
}
