module golab

go 1.19
