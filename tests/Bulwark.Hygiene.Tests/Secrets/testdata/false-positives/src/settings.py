import os

password = get_password()
token = request.headers["Authorization"]
api_key = os.environ["API_KEY"]
secret_name = "my-app-secret"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
client_secret = settings.CLIENT_SECRET
password_reset_timeout = 259200
token_type = "Bearer"
private_key_path = "/etc/ssl/private/server.key"
access_key = "0000000000000000"
TOKEN_ENDPOINT = "https://oauth2.googleapis.com/token"
auth_token: str = "" # filled at runtime
commit = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
not_a_jwt = "eyJub3QiOiJhIGp3dCJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU"
assembly = '<File Path="System.Core.dll" PublicKeyToken="b77a5c561934e089" AssemblyVersion="4.0.0.0" />'
CURLOPT_PROXYPASSWORD = CURLOPTTYPE_STRINGPOINT+176
PMSV1_0_CHANGEPASSWORD_REQUEST = PMSV1_0_CHANGEPASSWORD_REQUEST_V2
proxy = "http://user:passwd\\@host:port/"
escaped = "http://user:pa%2Fssword@proxy.corp/"
CRYPT_PRIVATE_KEY_BLOB_AND_PARAMS = CRYPT_PKCS8_IMPORT_PARAMS2
def load(self, private_key: ed25519.Ed25519PrivateKey, rest): pass
exports2.MAJOR = exports2.CONNECTION_TOKEN_CHARS = exports2.HEADER_CHARS
