class ThaiFirstMiddleware:
    """Ignore the browser's Accept-Language so pages open in Thai; the language switch (a cookie) still wins.

    Many staff and community phones are set to English; CODI's working language is Thai.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
