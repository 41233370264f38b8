module golab/gcchurn

go 1.19
