import json,glob,sys,os
os.chdir(sys.argv[1] if len(sys.argv)>1 else '.')
rows=[]
for f in sorted(glob.glob('*.run.json')):
    base=f[:-9]
    try:
        r=json.load(open(f)); d=json.load(open(base+'.predict.json'))
    except Exception as e:
        continue
    net,bw,rtt=base.rsplit('-',2)
    p=d['totals']['physical']; pc=r['parties']
    mc,ms=pc['client']['online']['wall_s'],pc['server']['online']['wall_s']
    cc,cs=pc['client']['online']['cpu_s'],pc['server']['online']['cpu_s']
    ec=p['client']['online_ms']/1e3/mc-1; es=p['server']['online_ms']/1e3/ms-1
    print(f"| {net} | {bw} Mbit/s, {rtt} ms | {mc:.1f} / {ms:.1f} | {p['client']['online_ms']/1e3:.1f} / {p['server']['online_ms']/1e3:.1f} | {100*ec:+.1f} / {100*es:+.1f} % | {cc:.1f} / {cs:.1f} | {p['client']['online_cpu_ms']/1e3:.1f} / {p['server']['online_cpu_ms']/1e3:.1f} | {100*(p['client']['online_cpu_ms']/1e3/cc-1):+.1f} / {100*(p['server']['online_cpu_ms']/1e3/cs-1):+.1f} % |")
