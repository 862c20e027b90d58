/*
 * main.c: the CUnit runner for every unit suite.  Each test file exports
 * one `int test_X_register(void)` that adds its suites; this file calls
 * them all and runs them, printing CUnit's run summary.
 */
#include <stdio.h>
#include <CUnit/Basic.h>

int test_value_register(void);
int test_temporal_register(void);
int test_domain_register(void);
int test_readers_register(void);
int test_store_register(void);
int test_graph_register(void);
int test_parser_register(void);
int test_import_register(void);
int test_diagram_register(void);
int test_evidence_register(void);
int test_cypher_register(void);
int test_limits_register(void);
int test_claim_register(void);
int test_when_register(void);
int test_realdata_register(void);
int test_ftm_register(void);
int test_ais_register(void);
int test_posfmt_register(void);
int test_harden_register(void);
int test_iter_register(void);
int test_rows_register(void);
int test_edges_register(void);
int test_tz_register(void);
int test_bulk_register(void);
int test_pgread_register(void);
int test_fault_register(void);

int main(void)
{
	int (*suites[])(void) = {
		test_value_register, test_temporal_register, test_domain_register,
		test_readers_register, test_store_register, test_graph_register,
		test_parser_register, test_import_register, test_evidence_register, test_diagram_register,
		test_cypher_register, test_limits_register, test_harden_register,
		test_claim_register,
		test_when_register,
		test_realdata_register,
		test_ftm_register,
		test_ais_register,
		test_iter_register,
		test_rows_register,
		test_edges_register,
		test_posfmt_register,
		test_tz_register,
		test_bulk_register,
		test_pgread_register,
		test_fault_register,
	};
	unsigned failed;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
		if (suites[i]() != 0) {
			fprintf(stderr, "unit-tests: cannot register suite %zu\n", i);
			CU_cleanup_registry();
			return 2;
		}
	CU_basic_set_mode(CU_BRM_NORMAL);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
