module golab/alloc

go 1.19
