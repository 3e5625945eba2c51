import json,glob,os,sys
D=sys.argv[1] if len(sys.argv)>1 else os.path.dirname(os.path.abspath(__file__))
for f in sorted(glob.glob(os.path.join(D,'*-faithful.json'))):
    net=os.path.basename(f)[:-len('-faithful.json')]
    row=[net]
    for mode in ['faithful','approximate']:
        g=os.path.join(D,f'{net}-{mode}.json')
        try:
            d=json.load(open(g)); v=d['verify']; p=d['parties']
            row.append(f"{'exact' if v['exact'] else str(v['max_abs_error_ulps'])+' ulps'}, argmax {'agrees' if v['argmax_agrees'] else 'DIFFERS'}, mismatches {p['client']['plan_mismatches']+p['server']['plan_mismatches']}")
        except Exception as e:
            err=open(g[:-5]+'.err').read().strip().splitlines()
            row.append('ERROR: '+(err[-1] if err else str(e)))
    print(' | '.join(row))
