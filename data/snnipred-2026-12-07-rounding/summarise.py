import json,glob,statistics as st,os
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'runs'))
for key in ['squeezenet1_1-lan','squeezenet1_1-wan','resnet50-lan']:
    row={}
    for b in ['old','new']:
        fs=sorted(glob.glob(f'{b}-{key}-*.json'))
        v=[];cpu=[];mm=[];by=[]
        for f in fs:
            try: d=json.load(open(f))
            except Exception: continue
            p=d['parties']
            v.append(d['client_end_to_end_s']); cpu.append((p['client']['online']['cpu_s'],p['server']['online']['cpu_s']))
            mm.append(p['client']['plan_mismatches']+p['server']['plan_mismatches'])
            by.append(sum(p[x][ph]['bytes_sent'] for x in p for ph in ('setup','online'))/2**20)
        row[b]=(v,cpu,mm,by)
        print(key,b,[round(x,1) for x in v],'median',round(st.median(v),1) if v else None,'cpu',[(round(a,1),round(c,1)) for a,c in cpu],'mism',mm,'MiB',[round(x,1) for x in by][:1])
    if row['old'][0] and row['new'][0]:
        print('  ratio old/new', round(st.median(row['old'][0])/st.median(row['new'][0]),3))
