"""sd_notify for the spec daemons: one datagram to $NOTIFY_SOCKET ('@' names an abstract socket)."""
import os
import socket


def notify(message):
    address = os.environ['NOTIFY_SOCKET']
    if address.startswith('@'):
        address = '\0' + address[1:]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.sendto(message.encode(), address)
    s.close()
