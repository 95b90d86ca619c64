#!/usr/bin/env python3
"""Where the time from a REST request to the callee's INVITE goes, per call, from one loopback capture of the HTTP,
AMI, FastAGI and callee SIP ports (scripts/bench-rest with BREAKDOWN=1):

  usage: breakdown.py CAPTURE.pcap CALLS.tsv HTTP_PORT AMI_PORT AGI_PORT SIP_PORT PREFIX

Steps (medians and p90 in ms, each from the previous one):
  http in      the POST's first segment reaches the server's port (vs the client's clock: RawHttp's send time)
  originate    the server writes the AMI Originate of Local/<CallSid>@twiml-outbound-dial
  ami response Asterisk answers that Originate (Response: Success, "queued"; beside the chain, from originate)
  201          the server writes the 201 answer (relative to the POST)
  invite (dialplan Dial)  the INVITE reaches the callee: Asterisk makes the Local channel, its ;2 half's
               dialplan Dials from the Originate's variables (no FastAGI hop before the INVITE)
 A capture of a server whose Dial half still ran on FastAGI (before 12/2026) splits that last step as:
  agi connect  Asterisk opens the FastAGI connection of the Dial half (SYN)
  agi env      the end of its agi_* environment
  1st command  the server's first AGI command on it
  exec dial    the server writes EXEC Dial
  invite       the INVITE reaches the callee
"""
import struct
import sys
from collections import defaultdict


def packets(path):
    with open(path, 'rb') as f:
        g = f.read(24)
        magic = struct.unpack('<I', g[:4])[0]
        end = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
        nanos = struct.unpack(end + 'I', g[:4])[0] == 0xa1b23c4d
        link = struct.unpack(end + 'I', g[20:24])[0]
        skip = {1: 14, 0: 4, 113: 16, 276: 20}[link]
        while True:
            h = f.read(16)
            if len(h) < 16:
                return
            sec, frac, caplen, _ = struct.unpack(end + 'IIII', h)
            p = f.read(caplen)
            if len(p) < caplen:
                return
            t = sec * 1e6 + (frac / 1000 if nanos else frac)
            ip = p[skip:]
            if len(ip) < 20 or ip[0] >> 4 != 4:
                continue
            ihl = (ip[0] & 15) * 4
            proto = ip[9]
            src = ip[12:16]
            dst = ip[16:20]
            body = ip[ihl:]
            if proto == 6 and len(body) >= 20:
                sport, dport = struct.unpack('>HH', body[:4])
                off = (body[12] >> 4) * 4
                flags = body[13]
                yield t, 'tcp', (src, sport, dst, dport), flags, body[off:]
            elif proto == 17 and len(body) >= 8:
                sport, dport = struct.unpack('>HH', body[:4])
                yield t, 'udp', (src, sport, dst, dport), 0, body[8:]


def pct(values, p):
    v = sorted(values)
    if not v:
        return float('nan')
    return v[min(len(v) - 1, max(0, int(len(v) * p / 100 + 0.5) - 1))]


def main():
    pcap, tsv, http, ami, agi, sip, prefix = sys.argv[1:8]
    http, ami, agi, sip = int(http), int(ami), int(agi), int(sip)
    calls = {}
    for line in open(tsv):
        f = line.split('\t')
        if f[2] == '201':
            calls[f[1]] = {'n': int(f[0]), 'sent': int(f[4])}
    by_n = {c['n']: sid for sid, c in calls.items()}
    streams = defaultdict(list)   # AGI connections: (asterisk side) -> [(t, direction, payload)]
    syn = {}
    t_http, t_201, t_orig, t_invite, t_resp = {}, {}, {}, {}, {}
    action_sid = {}   # the Originate's ActionID -> its CallSid
    inv = ('INVITE sip:' + prefix).encode()
    for t, proto, (src, sport, dst, dport), flags, data in packets(pcap):
        if proto == 'udp':
            if dport == sip and data.startswith(inv):
                num = data[len(inv):data.index(b'@')]
                if num.isdigit() and int(num) in by_n:
                    t_invite.setdefault(by_n[int(num)], t)
            continue
        if dport == http and data:
            i = data.find(b'To=sip%3A' + prefix.encode())
            if i >= 0:
                j = i + len('To=sip%3A' + prefix)
                k = j
                while k < len(data) and data[k:k + 1].isdigit():
                    k += 1
                if int(data[j:k]) in by_n:
                    t_http.setdefault(by_n[int(data[j:k])], t)
        elif sport == http and data:
            i = data.find(b'"sid":"CA')
            if i < 0:
                i = data.find(b'"sid": "CA')
            if i >= 0:
                s = data[data.index(b'CA', i):data.index(b'CA', i) + 34].decode()
                t_201.setdefault(s, t)
        elif dport == ami and data:
            i = data.lower().find(b'channel: local/ca')  # asterisk-java writes lower-case keys
            if i >= 0:
                sid = data[i + 15:i + 49].decode()
                t_orig.setdefault(sid, t)
                a = data.lower().find(b'actionid: ')
                if a >= 0:
                    action_sid[data[a + 10:data.index(b'\r\n', a)].decode()] = sid
        elif sport == ami and data:
            for msg in data.split(b'\r\n\r\n'):
                if not msg.startswith(b'Response:'):
                    continue
                a = msg.find(b'ActionID: ')
                if a >= 0:
                    e = msg.find(b'\r\n', a)
                    sid = action_sid.get(msg[a + 10:e if e >= 0 else len(msg)].decode(errors='replace'))
                    if sid:
                        t_resp.setdefault(sid, t)
        elif dport == agi:
            key = (src, sport)
            if flags & 0x02 and not flags & 0x10:
                syn[key] = t
            if data:
                streams[key].append((t, 'in', data))
        elif sport == agi and data:
            streams[(dst, dport)].append((t, 'out', data))
    steps = defaultdict(list)
    dial_half = {}   # CallSid -> its Dial half's FastAGI connection, when it has one (the server's Dial before 12/2026)
    for key, segs in streams.items():
        env = b''
        env_end = None
        for t, d, data in segs:
            if d == 'in' and env_end is None:
                env += data
                if b'\n\n' in env:
                    env_end = t
        if b'agi_network_script: twiml-outbound-dial\n' not in env:
            continue
        i = env.find(b'agi_arg_1: ')
        sid = env[i + 11:i + 45].decode() if i >= 0 else None
        if sid not in calls:
            continue
        outs = [(t, data) for t, d, data in segs if d == 'out']
        first_cmd = outs[0][0] if outs else None
        dial = next((t for t, data in outs if data.startswith(b'EXEC Dial') or data.startswith(b'EXEC "Dial"')), None)
        if None in (syn.get(key), env_end, first_cmd, dial):
            continue
        dial_half[sid] = (syn[key], env_end, first_cmd, dial, sum(1 for t, data in outs if t <= dial))
    for sid, c in calls.items():
        if sid not in t_http or sid not in t_orig or sid not in t_invite:
            continue
        chain = [('http in', c['sent'], t_http[sid]), ('originate', t_http[sid], t_orig[sid])]
        if sid in dial_half:
            connect, env_end, first_cmd, dial, cmds = dial_half[sid]
            chain += [('agi connect', t_orig[sid], connect), ('agi env', connect, env_end),
                      ('1st command', env_end, first_cmd), ('exec dial', first_cmd, dial),
                      ('invite', dial, t_invite[sid])]
            steps['AGI commands up to Dial'].append(cmds * 1000.0)
        else:  # the dialplan Dials: the Local channel, its dialplan and Dial, all inside Asterisk
            chain += [('invite (dialplan Dial)', t_orig[sid], t_invite[sid])]
        for name, a, b in chain:
            steps[name].append((b - a) / 1000)
        steps['total (client send -> INVITE)'].append((t_invite[sid] - c['sent']) / 1000)
        if sid in t_resp:
            steps['ami response (after originate)'].append((t_resp[sid] - t_orig[sid]) / 1000)
        if sid in t_201:
            steps['201 written (after http in)'].append((t_201[sid] - t_http[sid]) / 1000)
    print(f"breakdown of {len(steps['total (client send -> INVITE)'])} calls (ms: p50 / p90 / max)")
    for name in ['http in', 'originate', 'agi connect', 'agi env', '1st command', 'exec dial', 'invite',
                 'invite (dialplan Dial)', 'total (client send -> INVITE)', '201 written (after http in)',
                 'ami response (after originate)']:
        v = steps[name]
        if v:
            print(f"  {name:32s} {pct(v, 50):8.3f} {pct(v, 90):8.3f} {max(v):8.3f}")
    v = steps['AGI commands up to Dial']
    if v:
        print(f"  AGI commands up to and with EXEC Dial: {pct(v, 50) / 1000:.0f}")


if __name__ == '__main__':
    main()
