# connect.py PORT: one TCP connection attempt to 127.0.0.1:PORT (nothing
# needs to listen: the refused attempt goes through tcp_connect too).
import socket
import sys

s = socket.socket()
s.settimeout(5)
s.connect_ex(("127.0.0.1", int(sys.argv[1])))
