set terminal pngcairo size 720,540 noenhanced
set logscale xy
set grid
set key top left
set xlabel 'measured time [s]'
set ylabel 'predicted time [s]'
set output 'holdout-generated-eval/plots/network_LAN.png'
set title 'whole networks, LAN: predicted vs measured (network)'
plot 'holdout-generated-eval/plots/network_LAN_analytical.dat' using 1:2 with points pointtype 7 pointsize 0.8 title 'analytical', 'holdout-generated-eval/plots/network_LAN_nn.dat' using 1:2 with points pointtype 7 pointsize 0.8 title 'nn', 'holdout-generated-eval/plots/network_LAN_lstm.dat' using 1:2 with points pointtype 7 pointsize 0.8 title 'lstm', 'holdout-generated-eval/plots/network_LAN_relu-count.dat' using 1:2 with points pointtype 7 pointsize 0.8 title 'relu-count', 'holdout-generated-eval/plots/network_LAN_flops.dat' using 1:2 with points pointtype 7 pointsize 0.8 title 'flops', 'holdout-generated-eval/plots/network_LAN_params.dat' using 1:2 with points pointtype 7 pointsize 0.8 title 'params', x with lines linecolor 'gray' title 'y = x'
set output 'holdout-generated-eval/plots/network_WAN.png'
set title 'whole networks, WAN: predicted vs measured (network)'
plot 'holdout-generated-eval/plots/network_WAN_analytical.dat' using 1:2 with points pointtype 7 pointsize 0.8 title 'analytical', 'holdout-generated-eval/plots/network_WAN_nn.dat' using 1:2 with points pointtype 7 pointsize 0.8 title 'nn', 'holdout-generated-eval/plots/network_WAN_lstm.dat' using 1:2 with points pointtype 7 pointsize 0.8 title 'lstm', 'holdout-generated-eval/plots/network_WAN_relu-count.dat' using 1:2 with points pointtype 7 pointsize 0.8 title 'relu-count', 'holdout-generated-eval/plots/network_WAN_flops.dat' using 1:2 with points pointtype 7 pointsize 0.8 title 'flops', 'holdout-generated-eval/plots/network_WAN_params.dat' using 1:2 with points pointtype 7 pointsize 0.8 title 'params', x with lines linecolor 'gray' title 'y = x'
