SELECT nextval('nextval_bench');
